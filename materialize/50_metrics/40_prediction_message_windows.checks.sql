-- materialize/50_metrics/40_prediction_message_windows.checks.sql
--
-- Invariants of prediction_message_windows: each query returns the rows that break one, so
-- every query must return nothing. Run by the tests (test/sql/); never applied.

-- Every message is either valid or rejected, and a reason is named exactly when one was.
select window_end, num_messages, num_valid, num_rejected, most_common_rejection_reason
from prediction_message_windows
where num_valid + num_rejected <> num_messages
    or (num_rejected > 0) <> (most_common_rejection_reason is not null);

-- One row per window, named by a whole second.
select window_end, count(*) as rows_for_window
from prediction_message_windows
group by window_end
having count(*) > 1 or date_trunc('second', window_end) <> window_end;

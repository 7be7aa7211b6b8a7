-- Every signal value a rule can watch, in the windows visible at lab.now, up to the run's end.
select signal, subject, window_end, value
from int_alert_signal_values
where window_end <= $1

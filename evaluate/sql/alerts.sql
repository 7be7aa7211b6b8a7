-- Every rule that fires in a window visible at lab.now (set by the caller), up to the run's end.
select rule_name, window_end, value, threshold, signal, subject
from monitoring_alerts
where window_end <= $1

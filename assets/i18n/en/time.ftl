## Dates and times

time-am = { $hour }:{ $minute } AM
time-pm = { $hour }:{ $minute } PM
date-long = { $weekday } { $day } { $month } { $year }
date-medium-time = { $weekday } { $day } { $month } { $time }
date-short = { $weekday } { $day } { $month }
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday
weekday-short-mon = Mon
weekday-short-tue = Tue
weekday-short-wed = Wed
weekday-short-thu = Thu
weekday-short-fri = Fri
weekday-short-sat = Sat
weekday-short-sun = Sun
month-name = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
countdown-now = now
in-minutes = in { $minutes } min
in-hours-minutes = in { $hours } h { $minutes } min
in-minutes-seconds = in { $minutes } min { $seconds } s
in-seconds = in { $seconds } s
today-at = today { $time }
tomorrow-at = tomorrow { $time }
day-at = { $day } { $time }
started-just-now = started just now
started-minutes-ago = started { $minutes } min ago
started-hours-minutes-ago = started { $hours } h { $minutes } min ago
heading-today = Today, { $date }
heading-tomorrow = Tomorrow, { $date }
expired = expired

## Datum und Uhrzeit

time-am = { $hour }:{ $minute } AM
time-pm = { $hour }:{ $minute } PM
date-long = { $weekday }, { $day }. { $month } { $year }
date-medium-time = { $weekday }, { $day }. { $month } { $time }
date-short = { $weekday }, { $day }. { $month }
weekday-mon = Montag
weekday-tue = Dienstag
weekday-wed = Mittwoch
weekday-thu = Donnerstag
weekday-fri = Freitag
weekday-sat = Samstag
weekday-sun = Sonntag
weekday-short-mon = Mo.
weekday-short-tue = Di.
weekday-short-wed = Mi.
weekday-short-thu = Do.
weekday-short-fri = Fr.
weekday-short-sat = Sa.
weekday-short-sun = So.
month-name = { $month ->
    [1] Januar
    [2] Februar
    [3] März
    [4] April
    [5] Mai
    [6] Juni
    [7] Juli
    [8] August
    [9] September
    [10] Oktober
    [11] November
   *[12] Dezember
}
month-short = { $month ->
    [1] Jan.
    [2] Feb.
    [3] März
    [4] Apr.
    [5] Mai
    [6] Juni
    [7] Juli
    [8] Aug.
    [9] Sept.
    [10] Okt.
    [11] Nov.
   *[12] Dez.
}
countdown-now = jetzt
in-minutes = in { $minutes } Min.
in-hours-minutes = in { $hours } Std. { $minutes } Min.
in-minutes-seconds = in { $minutes } Min. { $seconds } Sek.
in-seconds = in { $seconds } Sek.
today-at = heute { $time }
tomorrow-at = morgen { $time }
day-at = { $day } { $time }
started-just-now = hat gerade begonnen
started-minutes-ago = läuft seit { $minutes } Min.
started-hours-minutes-ago = läuft seit { $hours } Std. { $minutes } Min.
heading-today = Heute, { $date }
heading-tomorrow = Morgen, { $date }
expired = abgelaufen

## The Help page

help-heading = Help
help-running-on = Running on { $os }
help-shortcuts = Keyboard shortcuts
help-checking = Checking…

## The log folder

help-no-log-folder = This system has no log folder for the app.
help-log-folder = Log files and crash reports: { $path }
help-open-log-folder = Open log folder
help-copy-log-folder-path = Copy log folder path

## The checks (as `meeting-launcher doctor` runs them)

help-checks-heading = What the app needs from this computer
help-checks-intro = The same checks as `meeting-launcher doctor`, with a fix for each problem.
help-no-checks = No checks ran here.
help-check-ok = ok
help-check-warn = warn
help-check-fail = FAIL
help-fix = Fix: { $fix }
help-copy-diagnostics = Copy diagnostics
help-copy-diagnostics-hint = Version, system, desktop, these checks and the last log lines, for a bug report
help-check-again = Check again

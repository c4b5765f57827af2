## Die Hilfe-Seite

help-heading = Hilfe
help-running-on = Läuft unter { $os }
help-shortcuts = Tastenkürzel
help-checking = Wird geprüft…

## Der Protokollordner

help-no-log-folder = Dieses System hat keinen Protokollordner für die App.
help-log-folder = Protokolldateien und Absturzberichte: { $path }
help-open-log-folder = Protokollordner öffnen
help-copy-log-folder-path = Pfad des Protokollordners kopieren

## Die Prüfungen (wie `meeting-launcher doctor` sie ausführt)

help-checks-heading = Was die App von diesem Computer braucht
help-checks-intro = Dieselben Prüfungen wie `meeting-launcher doctor`, mit einer Lösung für jedes Problem.
help-no-checks = Hier wurden keine Prüfungen ausgeführt.
help-check-ok = OK
help-check-warn = Warnung
help-check-fail = FEHLER
help-fix = Lösung: { $fix }
help-copy-diagnostics = Diagnose kopieren
help-copy-diagnostics-hint = Version, System, Desktop, diese Prüfungen und die letzten Protokollzeilen, für einen Fehlerbericht
help-check-again = Erneut prüfen

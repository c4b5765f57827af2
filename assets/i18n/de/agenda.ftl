## Die Termine (Planer)

agenda-heading = Termine
agenda-new-meeting = Neues Meeting
agenda-reload = Neu laden
agenda-search-hint = Suchen ({ $shortcut })
agenda-search-tooltip = Titel, Teilnehmer und Dienste durchsuchen
agenda-search-name = Meetings suchen
agenda-sign-in-first = Melden Sie sich bei einem Konto an, um seine Meetings hier zu sehen.
agenda-never-updated = nie
agenda-stale = { $service } ({ $user }): zuletzt aktualisiert { $since }. { $why }
agenda-deleting = „{ $title }“ wird gelöscht…
agenda-undo = Rückgängig
agenda-not-sent = Noch nicht gesendet
agenda-sending = wird gesendet…
agenda-retry = Erneut versuchen
agenda-edit = Bearbeiten
agenda-discard = Verwerfen
agenda-nothing-scheduled = Nichts geplant.
agenda-no-match = Kein Meeting passt zu „{ $query }“.

## Eine Zeile der Termine

agenda-all-day = ganztägig
agenda-until = bis { $date }
agenda-skipped-cancelled = abgesagt
agenda-skipped-declined = abgelehnt
agenda-invited = { $count } eingeladen
agenda-start = Starten
agenda-start-named = „{ $title }“ am { $when } starten
agenda-join = Beitreten
agenda-join-named = „{ $title }“ am { $when } beitreten
agenda-edit-named = „{ $title }“ am { $when } bearbeiten
agenda-delete = Löschen
agenda-delete-named = „{ $title }“ am { $when } löschen
agenda-copy-link = Link kopieren
agenda-copy-link-named = Link von „{ $title }“ am { $when } kopieren
agenda-attending = Teilnahme
agenda-attending-named = Teilnahme an „{ $title }“ am { $when }

## Das Meeting-Formular

agenda-edit-meeting = Meeting bearbeiten
agenda-form-account = Konto
agenda-form-title = Titel
agenda-form-date = Datum
agenda-form-starts = Beginn
agenda-form-ends = Ende
agenda-form-hours = Std.
agenda-form-minutes = Min.
agenda-form-time-zone = Zeitzone
agenda-form-local-time = Ihre Ortszeit (UTC{ $offset })
agenda-form-participants = Teilnehmer
agenda-form-participants-hint = E-Mail-Adressen, durch Kommas getrennt
agenda-save = Speichern
agenda-cancel = Abbrechen

## Einen Kalender hinzufügen

agenda-calendar-heading = Kalender hinzufügen
agenda-calendar-intro = Google Kalender, Outlook, Fastmail und die meisten anderen veröffentlichen eine private Adresse Ihres Kalenders (iCalendar, endet auf .ics). Seine Meetings erscheinen schreibgeschützt in den Terminen.
agenda-calendar-name = Name
agenda-calendar-address = Private Adresse
agenda-calendar-email = Ihre E-Mail-Adresse darin (optional)
agenda-calendar-allow-http = Unverschlüsselte http-Adresse zulassen
agenda-calendar-add = Kalender hinzufügen
agenda-calendar-kept = Die Adresse wird im Schlüsselbund des Systems gespeichert; angezeigt wird nur ihr Host.

## Die Details eines Meetings

details-open-hint = Details anzeigen
details-open-named = Die Details von „{ $title }“ am { $when } anzeigen
details-close = Schließen
details-close-named = Die Details von „{ $title }“ schließen
details-when = { $day }, { $start }–{ $end } ({ $zone })
details-when-day = { $day }, ganztägig
details-when-days = { $first } bis { $last }
details-location = Ort: { $location }
details-link = Link: { $link }
details-copy-link-named = Den Link von „{ $title }“ aus den Details kopieren
details-start-named = „{ $title }“ aus den Details starten
details-join-named = „{ $title }“ aus den Details beitreten
details-edit-named = „{ $title }“ aus den Details bearbeiten
details-delete-named = „{ $title }“ aus den Details löschen
details-copy-invitation = Einladung kopieren
details-copy-invitation-named = Die Einladung zu „{ $title }“ kopieren
details-invitation-join = Beitreten: { $link }
details-participants = { $count ->
    [one] Ein Teilnehmer
   *[other] { $count } Teilnehmer
}
details-participant-answer = { $person }: { $answer }
details-answer-accepted = zugesagt
details-answer-tentative = vielleicht
details-answer-declined = abgesagt
details-answer-pending = noch keine Antwort
details-description = Worum es geht

## Die Prüfungen des Meeting-Formulars

form-title-missing = Geben Sie dem Meeting einen Titel.
form-ends-before-start = Das Meeting endet, bevor es beginnt.
form-not-an-email = „{ $address }“ ist keine E-Mail-Adresse.
service-calendar = Kalender

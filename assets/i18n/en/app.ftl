## The side bar

nav-agenda = Agenda
nav-accounts = Accounts
nav-presenters = Presenters
nav-events = joind.in events
nav-settings = Settings
nav-help = Help
nav-connect = Connect your account

## The top bar

top-demo = {" "}Demo{" "}
top-demo-hint = Demo mode: the built-in sandbox stands in for join.me, MeetingBooster and joind.in. Nothing is saved.
top-connect = Connect your account
top-start-now = Start meeting now
top-start-needs-joinme = Sign in to join.me to start meetings
top-copy-viewer-link = Copy viewer link
top-viewers-join-at = Viewers join at { $link }

## The next-up card

next-none = No meetings ahead
next-hint-start-or-schedule = Start a meeting now from the top bar, or schedule one.
next-hint-start = Start a meeting now from the top bar.
next-hint-schedule = Schedule a meeting to see it here.
next-hint-nothing = Meetings from your accounts and calendars show here.
next-schedule = Schedule a meeting
next-now = Now
next-up = Next up
next-start = Start
next-join = Join
next-start-named = Start “{ $title }”
next-join-named = Join “{ $title }”
next-no-link = No link to join was found in this meeting.

## The welcome card (demo, first run)

welcome-heading = Welcome to Meeting Launcher
welcome-demo = This is the demo: sample meetings on a built-in sandbox, so you can try everything. Nothing is saved.
welcome-connect = Connect your own account when you are ready:
welcome-explore = Explore the demo

## Connect your account

connect-heading = Connect your account
connect-demo-only = This window was started with --demo, which only shows the demo. Start Meeting Launcher without --demo to connect your account.
connect-intro = Choose your service. What you enter here goes to your settings file; secrets go only to the keychain.
connect-provider = Connect { $service }
connect-joinme-needs = join.me needs the API key of an app registered in join.me's developer program, with the callback URL below registered for it.
connect-joinme-key = join.me API key
connect-mb-needs = MeetingBooster runs on your organization's own server: enter its address (for example https://meetings.example.com). You sign in with your MeetingBooster user name and password next.
connect-mb-server = MeetingBooster server address
connect-joindin-needs = joind.in needs the API key of an app registered on joind.in (your profile's Apps page), with the callback URL below registered for it.
connect-joindin-key = joind.in API key
connect-back-to-demo = Back to the demo
connect-applying = Saved. Setting up { $service }…
connect-done = { $service } is set up. The demo has ended.
connect-sign-in = Sign in to { $service }

//! Time zones as feeds name them: IANA names, Windows names as Outlook writes them, and the feed's own
//! `VTIMEZONE` definitions. (Being written.)

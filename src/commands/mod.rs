//! One module per subcommand; each turns parsed arguments into work and an exit code.

pub mod sandbox;

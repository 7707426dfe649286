//! The `consolida` binary: parses the command line and hands over to [`consolida::app`].

fn main() {
    std::process::exit(consolida::app::main());
}

//! The `consolida` binary: parses the command line and hands over to [`consolida::main`].

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    consolida::keep_freed();
    std::process::exit(consolida::main());
}

//! The `consolida` binary: parses the command line and hands over to [`consolida::app`].

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    consolida::memory::keep_freed();
    std::process::exit(consolida::app::main());
}

mod cli;

// swc builds its syntax trees from many small allocations; glibc malloc spends a third of
// the run on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}

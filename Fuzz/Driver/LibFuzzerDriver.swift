public import FrontierFuzzTargets
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer's entry point when it does not own main(): scripts/fuzz links
// libclang_rt.fuzzer_no_main, because SwiftPM points main at the executable's
// own entry (a second main() would clash).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The body libFuzzer calls; set once before the driver starts.
nonisolated(unsafe) private var currentTarget: FuzzTarget?

/// Runs libFuzzer over `target` with the process's arguments, and exits with its status.
/// Only a fuzz build links libFuzzer, so only the Fuzz* executables call this.
public func runFuzzer(_ target: FuzzTarget) -> Never {
    currentTarget = target
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        currentTarget?.body(UnsafeBufferPointer(start: data, count: size))
        return 0
    }
    exit(status)
}

// libFuzzer entry point for the safetensors reader (Sources/Formats/Safetensors.swift).
// Any input must give a SafetensorsFile or a thrown error: no trap, no sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let file = try? decodeSafetensors(bytes, path: "fuzz.safetensors") {
        // What was read must be self-consistent: one value per element of each shape.
        for entry in file.entries.values { precondition(entry.values.count == entry.shape.reduce(1, *)) }
    }
    return 0
}

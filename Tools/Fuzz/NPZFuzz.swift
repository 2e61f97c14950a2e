// libFuzzer entry point for the zip (.npz) and .npy readers (Sources/Formats/Zip.swift,
// NPY.swift): the input is read as an archive, and its entries, or the input itself, as .npy.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let entries = try? readZipEntries(bytes, named: ["mu.npy", "sigma.npy"], path: "fuzz.npz") {
        for (name, entry) in entries { _ = try? decodeNPY(entry, path: "fuzz.npz", entry: name) }
    }
    if let array = try? decodeNPY(bytes, path: "fuzz.npy", entry: "x") {
        precondition(array.values.count == array.shape.reduce(1, *))
    }
    return 0
}

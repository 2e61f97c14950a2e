// libFuzzer entry point for the IDX reader (Sources/Workbook/Data/IDX.swift). The input is
// split into an image file and a label file at the offset its first two bytes give.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 2 else { return 0 }
    let split = min(bytes.count - 2, Int(bytes[0]) << 8 | Int(bytes[1]))
    let images = Array(bytes[2..<(2 + split)]), labels = Array(bytes[(2 + split)...])
    for limit in [nil, 3] as [Int?] {
        // ImageDataset's own preconditions check that pixels and labels match the shape.
        if let data = try? decodeIDXDataset(images: images, labels: labels, imagesPath: "images", labelsPath: "labels",
                                            fashion: true, limit: limit) {
            precondition(data.count > 0 && data.labels.allSatisfy { $0 < data.classNames.count })
        }
    }
    return 0
}

// libFuzzer entry point for the CSV log's resume check (Sources/Workbook/Data/CSVLog.swift).
// The first byte picks the checkpoint step; the rest is the log.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let columns = ["d_loss", "g_loss"]
    if let rows = try? CSVLog.resumableRows(of: Array(bytes.dropFirst()), path: "log.csv", columns: columns,
                                            resumeStep: Int(first % 16) + 1) {
        precondition(rows.kept.count == Int(first % 16) + 1 && rows.values.values.allSatisfy { $0.count == rows.kept.count })
    }
    return 0
}

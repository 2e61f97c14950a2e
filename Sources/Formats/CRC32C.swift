/// CRC-32C (Castagnoli), the checksum of TFRecord files: reflected polynomial 0x82F63B78,
/// initial value and final XOR 0xFFFFFFFF. `crc32c(Array("123456789".utf8)) == 0xE3069283`.
public func crc32c(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc = crc32cTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }
    return crc ^ 0xFFFF_FFFF
}

/// The "masked" CRC that TFRecord stores: rotated and offset, so that a CRC computed over
/// data that itself holds CRCs does not degenerate.
public func maskedCRC32C(_ bytes: some Sequence<UInt8>) -> UInt32 {
    let crc = crc32c(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
}

private let crc32cTable: [UInt32] = (0..<256).map { index in
    var crc = UInt32(index)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    return crc
}

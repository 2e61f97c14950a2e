/// Colour maps for heat maps. Both are perceptually ordered and readable by colour-blind readers.
public enum ColorMap: Sendable {
    /// Sequential, dark purple through green to yellow (matplotlib's viridis).
    case viridis
    /// Diverging, blue through white to orange: for values with a meaningful middle.
    case blueWhiteOrange

    private var anchors: [Color] {
        switch self {
        case .viridis:
            [0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725]
                .map(Color.init(hex:))
        case .blueWhiteOrange:
            [0x0B4F8A, 0x4A90C8, 0xA9CDE8, 0xF7F7F7, 0xF6C39C, 0xE6843F, 0xA8460A].map(Color.init(hex:))
        }
    }

    /// The colour at `fraction` in [0, 1] (clamped; NaN gives the middle).
    public func color(at fraction: Double) -> Color {
        let anchors = anchors
        let clamped = fraction.isNaN ? 0.5 : min(max(fraction, 0), 1)
        let position = clamped * Double(anchors.count - 1)
        let index = min(Int(position), anchors.count - 2)
        return anchors[index].mixed(with: anchors[index + 1], amount: position - Double(index))
    }
}

/// Splits `total` over `weights` in proportion, in whole units, so the parts add up to `total`
/// exactly: each part is rounded down and the units left over go to the largest remainders
/// (the earlier line on a tie). A sale discount spread over lines, a sale tax attributed to
/// them, use it.
public func apportion(_ total: Int64, over weights: [Int64]) -> [Int64] {
    let sum = weights.reduce(Int128(0)) { $0 + Int128(max($1, 0)) }
    guard sum > 0 else {
        var parts = [Int64](repeating: 0, count: weights.count)
        if !parts.isEmpty { parts[0] = total }
        return parts
    }
    var parts: [Int64] = []
    var remainders: [(index: Int, remainder: Int128)] = []
    for (index, weight) in weights.enumerated() {
        let share = Int128(total) * Int128(max(weight, 0))
        parts.append(Int64(share / sum))
        remainders.append((index, share % sum))
    }
    var left = total - parts.reduce(0, +)
    let step: Int64 = left >= 0 ? 1 : -1
    let order = remainders.sorted { $0.remainder.magnitude != $1.remainder.magnitude ? $0.remainder.magnitude > $1.remainder.magnitude : $0.index < $1.index }
    var position = 0
    while left != 0 && !order.isEmpty {
        parts[order[position % order.count].index] += step
        left -= step
        position += 1
    }
    return parts
}

/// `apportion` in whole cents when `total` is whole cents (amounts are ten-thousandths of a
/// dollar), so lines priced in cents keep amounts a receipt can show to the cent exactly.
public func apportionCents(_ total: Int64, over weights: [Int64]) -> [Int64] {
    guard total % 100 == 0 else { return apportion(total, over: weights) }
    return apportion(total / 100, over: weights).map { $0 * 100 }
}

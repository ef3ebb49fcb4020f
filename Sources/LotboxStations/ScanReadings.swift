import LotboxCore

/// What a scan offers a dock as package ids: every form the sender's id might be on file as.
enum ScanReadings {
    /// Package ids to look for, and the whole code when it names one unit of a package.
    static func packages(_ recognition: Recognition) -> (ids: [String], unitCode: String?) {
        var ids: [String] = []
        var unit: String?
        for reading in recognition.readings {
            switch reading {
            case .ulid(let id): ids.append(id.text)
            case .wellKnown(let id), .metrcTag(let id), .bioTrack(let id): ids.append(id)
            case .metrcRetailID(let url, let tag, let unitIndex):
                if let tag { ids.append(tag) }
                ids.append(url)
                if unitIndex != nil || tag == nil { unit = url }
            case .gs1(let element):
                ids += [element.sscc, element.bracketed, element.serial, element.batch, element.gtin].compactMap { $0 }
                if element.gtin != nil, element.serial != nil { unit = element.bracketed }
            case .retail(let code): ids += [code.digits, code.gtin14]
            case .licence, .command: break
            }
        }
        return (ids, unit)
    }
}

import CCups
import Foundation

/// A connection to one printer through libcups: a CUPS queue by name, or an IPP Everywhere
/// printer by URI (ipp://host:port/ipp/print). Every call is blocking and bounded by the
/// timeout; the printing service calls it from a thread of its own per printer, never from
/// Swift's shared concurrency pool. Owns its libcups handles; use it from one thread at a time.
public final class IPPPrinter: @unchecked Sendable {
    public let name: String
    public let uri: String?
    private let dest: UnsafeMutablePointer<cups_dest_t>
    private let http: OpaquePointer
    private let info: OpaquePointer

    /// Connects to a printer by IPP URI, or to the CUPS queue `name` when `uri` is nil (on
    /// `server`, "host:port", or the system's CUPS).
    public init(uri: String? = nil, name: String? = nil, server: String? = nil, timeout: Double = 5) throws(PrintError) {
        let label = uri ?? name ?? "default"
        // libcups keeps its server per thread: name it on the thread that uses this printer.
        if let server { cupsSetServer(server) }
        self.name = label
        self.uri = uri
        let found: UnsafeMutablePointer<cups_dest_t>? = uri != nil
            ? cupsGetDestWithURI(name, uri)
            : cupsGetNamedDest(nil, name, nil)
        guard let found else {
            throw PrintError(printer: label, reason: "no such printer (\(String(cString: cupsLastErrorString())))")
        }
        dest = found
        guard let connection = cupsConnectDest(found, UInt32(uri != nil ? CUPS_DEST_FLAGS_DEVICE : CUPS_DEST_FLAGS_NONE),
                                               Int32(timeout * 1000), nil, nil, 0, nil, nil) else {
            let reason = String(cString: cupsLastErrorString())
            cupsFreeDests(1, found)
            throw PrintError(printer: label, reason: "cannot connect (\(reason))")
        }
        httpSetTimeout(connection, timeout, nil, nil)
        // The connection is made lazily; asking for the printer's capabilities proves it answers.
        guard let capabilities = cupsCopyDestInfo(connection, found) else {
            let reason = String(cString: cupsLastErrorString())
            httpClose(connection)
            cupsFreeDests(1, found)
            throw PrintError(printer: label, reason: "does not answer (\(reason))")
        }
        http = connection
        info = capabilities
    }

    deinit {
        cupsFreeDestInfo(info)
        httpClose(http)
        cupsFreeDests(1, dest)
    }

    /// Sends one document as one job; returns the printer's job id.
    public func submit(_ document: [UInt8], format: String, jobName: String, copies: Int = 1) throws(PrintError) -> Int {
        let jobID = try startJob(format: format, jobName: jobName, copies: copies)
        try write(document)
        try finishJob()
        return jobID
    }

    /// The job whose document is being sent (startJob ... finishJob), and the bytes sent so far.
    private var sending: (id: Int32, written: Int)?

    /// Makes a job and starts its one document, to be written piece by piece (`write`) as it is
    /// rendered and ended with `finishJob`: libcups sends it chunked, so a batch of labels never
    /// sits whole in memory. Returns the printer's job id.
    public func startJob(format: String, jobName: String, copies: Int = 1) throws(PrintError) -> Int {
        var jobID: Int32 = 0
        var options: UnsafeMutablePointer<cups_option_t>?
        var optionCount: Int32 = 0
        if copies > 1 { optionCount = cupsAddOption("copies", String(copies), optionCount, &options) }
        defer { cupsFreeOptions(optionCount, options) }
        guard cupsCreateDestJob(http, dest, info, &jobID, jobName, optionCount, options) == IPP_STATUS_OK else {
            throw PrintError(printer: name, reason: "refused the job (\(String(cString: cupsLastErrorString())))")
        }
        guard cupsStartDestDocument(http, dest, info, jobID, jobName, format, 0, nil, 1) == HTTP_STATUS_CONTINUE else {
            throw PrintError(printer: name, reason: "refused the \(format) document of job \(jobID) (\(String(cString: cupsLastErrorString())))",
                             jobID: Int(jobID))
        }
        sending = (jobID, 0)
        return Int(jobID)
    }

    /// Sends the next part of the document started by `startJob`.
    public func write(_ bytes: [UInt8]) throws(PrintError) {
        guard let (jobID, written) = sending else { throw PrintError(printer: name, reason: "has no document being sent") }
        let chunk = 64 * 1024
        var offset = 0
        while offset < bytes.count {
            let count = min(chunk, bytes.count - offset)
            let status = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { cupsWriteRequestData(http, $0 + offset, count) }
                } ?? HTTP_STATUS_ERROR
            }
            guard status == HTTP_STATUS_CONTINUE else {
                sending = nil
                throw PrintError(printer: name, reason: "stopped taking job \(jobID) at byte \(written + offset) (\(String(cString: cupsLastErrorString())))",
                                 jobID: Int(jobID))
            }
            offset += count
        }
        sending = (jobID, written + bytes.count)
    }

    /// Ends the document: the printer has the whole job.
    public func finishJob() throws(PrintError) {
        guard let (jobID, _) = sending else { throw PrintError(printer: name, reason: "has no document being sent") }
        sending = nil
        guard cupsFinishDestDocument(http, dest, info) == IPP_STATUS_OK else {
            throw PrintError(printer: name, reason: "did not accept job \(jobID) (\(String(cString: cupsLastErrorString())))",
                             jobID: Int(jobID))
        }
    }

    /// The printer's state, reasons and capabilities.
    public func status() throws(PrintError) -> PrinterStatus {
        let response = try request(IPP_OP_GET_PRINTER_ATTRIBUTES, jobID: nil)
        defer { ippDelete(response) }
        let states = [3: "idle", 4: "processing", 5: "stopped"]
        return PrinterStatus(
            state: states[Int(integer(response, "printer-state") ?? 0)] ?? "unknown",
            reasons: strings(response, "printer-state-reasons").filter { $0 != "none" },
            documentFormats: strings(response, "document-format-supported"),
            resolutions: resolutions(response, "printer-resolution-supported"),
            mediaReady: strings(response, "media-ready"),
            isAcceptingJobs: boolean(response, "printer-is-accepting-jobs") ?? true,
            copiesSupported: range(response, "copies-supported"),
            mediaSizesReady: mediaSizes(response, "media-col-ready")
        )
    }

    /// Where a job is.
    public func job(_ id: Int) throws(PrintError) -> JobStatus {
        let response = try request(IPP_OP_GET_JOB_ATTRIBUTES, jobID: id)
        defer { ippDelete(response) }
        let states = [3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped",
                      7: "canceled", 8: "aborted", 9: "completed"]
        guard let state = integer(response, "job-state") else {
            throw PrintError(printer: name, reason: "does not know job \(id)")
        }
        return JobStatus(state: states[Int(state)] ?? "unknown", reasons: strings(response, "job-state-reasons"),
                         impressionsCompleted: integer(response, "job-impressions-completed").map(Int.init))
    }

    /// Cancels a job on the printer (one left half-sent by a crash).
    public func cancel(_ id: Int) throws(PrintError) {
        let response = try request(IPP_OP_CANCEL_JOB, jobID: id)
        ippDelete(response)
    }

    /// The printer's job with this name, if it still knows one (CUPS keeps finished jobs; an
    /// IPP printer that restarted forgets them).
    public func job(named jobName: String) throws(PrintError) -> (id: Int, status: JobStatus)? {
        let response = try request(IPP_OP_GET_JOBS, jobID: nil, whichJobs: "all", requested: ["job-id", "job-name", "job-state", "job-state-reasons", "job-impressions-completed"])
        defer { ippDelete(response) }
        var found: (id: Int, status: JobStatus)?
        var attribute = ippFirstAttribute(response)
        var current: (id: Int32?, name: String?, state: Int32?, reasons: [String], impressions: Int32?) = (nil, nil, nil, [], nil)
        func finish() {
            if let id = current.id, current.name == jobName {
                let states = [3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped",
                              7: "canceled", 8: "aborted", 9: "completed"]
                found = (Int(id), JobStatus(state: states[Int(current.state ?? 0)] ?? "unknown", reasons: current.reasons,
                                            impressionsCompleted: current.impressions.map(Int.init)))
            }
            current = (nil, nil, nil, [], nil)
        }
        while let this = attribute {
            if ippGetName(this) == nil {
                finish()
            } else if let name = ippGetName(this).map({ String(cString: $0) }) {
                switch name {
                case "job-id": current.id = ippGetInteger(this, 0)
                case "job-name": current.name = ippGetString(this, 0, nil).map { String(cString: $0) }
                case "job-state": current.state = ippGetInteger(this, 0)
                case "job-impressions-completed": current.impressions = ippGetInteger(this, 0)
                case "job-state-reasons":
                    current.reasons = (0..<ippGetCount(this)).compactMap { ippGetString(this, $0, nil).map { String(cString: $0) } }
                default: break
                }
            }
            attribute = ippNextAttribute(response)
        }
        finish()
        return found
    }

    private func request(_ operation: ipp_op_t, jobID: Int?, whichJobs: String? = nil,
                         requested: [String] = []) throws(PrintError) -> OpaquePointer {
        guard let request = ippNewRequest(operation) else { throw PrintError(printer: name, reason: "cannot build an IPP request") }
        let printerURI = uri ?? "ipp://localhost/printers/\(name)"
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI)
        // As the jobs' owner: CUPS hides other users' job names (JobPrivateValues).
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        if let jobID { ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", Int32(jobID)) }
        if let whichJobs { ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nil, whichJobs) }
        if !requested.isEmpty {
            // Get-Jobs answers only job-id and job-uri unless asked for more.
            let names = requested.map { strdup($0) }
            defer { names.forEach { free($0) } }
            let values = names.map { UnsafePointer($0) }
            values.withUnsafeBufferPointer { buffer in
                _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(buffer.count), nil, buffer.baseAddress)
            }
        }
        let resource = uri.flatMap { URL(string: $0)?.path }.flatMap { $0.isEmpty ? nil : $0 } ?? "/printers/\(name)"
        // cupsDoRequest frees the request.
        guard let response = cupsDoRequest(http, request, resource) else {
            throw PrintError(printer: name, reason: "did not answer (\(String(cString: cupsLastErrorString())))")
        }
        let status = ippGetStatusCode(response)
        guard status.rawValue < 0x0100 else {
            ippDelete(response)
            throw PrintError(printer: name, reason: "answered \(String(cString: ippErrorString(status)))")
        }
        return response
    }

    private func integer(_ response: OpaquePointer, _ attribute: String) -> Int32? {
        guard let found = ippFindAttribute(response, attribute, IPP_TAG_ZERO) else { return nil }
        return ippGetInteger(found, 0)
    }

    private func range(_ response: OpaquePointer, _ attribute: String) -> ClosedRange<Int>? {
        guard let found = ippFindAttribute(response, attribute, IPP_TAG_RANGE) else { return nil }
        var upper: Int32 = 0
        let lower = ippGetRange(found, 0, &upper)
        guard lower >= 1, upper >= lower else { return nil }
        return Int(lower)...Int(upper)
    }

    private func boolean(_ response: OpaquePointer, _ attribute: String) -> Bool? {
        guard let found = ippFindAttribute(response, attribute, IPP_TAG_BOOLEAN) else { return nil }
        return ippGetBoolean(found, 0) != 0
    }

    /// The `media-size` of each collection of a media-col attribute; a `y-dimension` given as a
    /// range is a roll (no length).
    private func mediaSizes(_ response: OpaquePointer, _ attribute: String) -> [LoadedMediaSize] {
        guard let found = ippFindAttribute(response, attribute, IPP_TAG_BEGIN_COLLECTION) else { return [] }
        return (0..<ippGetCount(found)).compactMap { index in
            guard let media = ippGetCollection(found, index),
                  let size = ippFindAttribute(media, "media-size", IPP_TAG_BEGIN_COLLECTION).flatMap({ ippGetCollection($0, 0) }),
                  let x = ippFindAttribute(size, "x-dimension", IPP_TAG_INTEGER),
                  let y = ippFindAttribute(size, "y-dimension", IPP_TAG_ZERO) else { return nil }
            let length = ippGetValueTag(y) == IPP_TAG_INTEGER ? Int(ippGetInteger(y, 0)) : nil
            return LoadedMediaSize(width: Int(ippGetInteger(x, 0)), length: length)
        }
    }

    private func strings(_ response: OpaquePointer, _ attribute: String) -> [String] {
        guard let found = ippFindAttribute(response, attribute, IPP_TAG_ZERO) else { return [] }
        return (0..<ippGetCount(found)).compactMap { index in ippGetString(found, index, nil).map { String(cString: $0) } }
    }

    private func resolutions(_ response: OpaquePointer, _ attribute: String) -> [Int] {
        guard let found = ippFindAttribute(response, attribute, IPP_TAG_RESOLUTION) else { return [] }
        return (0..<ippGetCount(found)).map { index in
            var y: Int32 = 0
            var units = IPP_RES_PER_INCH
            return Int(ippGetResolution(found, index, &y, &units))
        }
    }
}

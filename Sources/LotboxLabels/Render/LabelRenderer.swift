/// The one-call forms: preflight a label, or render it to dots.
public enum LabelRenderer {
    /// Everything wrong with this label at this dpi; empty when it can be printed.
    public static func preflight(_ template: LabelTemplate, data: LabelValue, dpi: Int) -> [TemplateError] {
        switch LabelLayout.layOut(template, data: data, dpi: dpi) {
        case .success: return []
        case .failure(let errors): return errors.problems
        }
    }

    /// The label as a 1-bit bitmap at `dpi`; throws the first preflight failure.
    public static func render(_ template: LabelTemplate, data: LabelValue, dpi: Int) throws(TemplateError) -> MonoBitmap {
        switch LabelLayout.layOut(template, data: data, dpi: dpi) {
        case .success(let label): return RasterPainter.paint(label)
        case .failure(let errors): throw errors.problems[0]
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using Camrelizumab.Safety.Core.Stopping;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>
/// An inline SVG of the stopping boundary and the known events among the first n enrolled subjects, both as step
/// functions of n, with the look of crossing marked.
/// </summary>
internal static class BoundaryChart
{
    private const int Width = 520;
    private const int Height = 260;
    private const int Left = 44;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 36;

    public static string Svg(RuleEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var boundary = evaluation.Boundary;
        var maxN = Math.Max(boundary.Looks.MaxPatients, evaluation.Path.Count);
        var reachable = Enumerable.Range(0, boundary.Looks.Values.Count).Where(boundary.CanStopAt).ToList();
        var maxY = Math.Max(1, Math.Max(evaluation.Path.DefaultIfEmpty(0).Max(), reachable.Count == 0 ? 1 : reachable.Max(i => boundary.Boundaries[i])));
        double X(double n) => Left + (n / maxN * (Width - Left - Right));
        double Y(double s) => Height - Bottom - (s / maxY * (Height - Top - Bottom));
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"")
            .Append(WebUtility.HtmlEncode($"{evaluation.Rule.Title}, arm {evaluation.Rule.Arm}: cumulative events against the boundary"))
            .Append("\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fff\" stroke=\"#999\"/>");
        foreach (var tick in Ticks(maxN))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(tick))}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{tick}</text>");
        }

        foreach (var tick in Ticks(maxY))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\">{tick}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(tick))}\" y2=\"{F(Y(tick))}\" stroke=\"#eee\"/>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(maxN / 2.0))}\" y=\"{Height - 4}\" text-anchor=\"middle\">Subjects in enrolment order (look n)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"rotate(-90)\" x=\"{F(-Y(maxY / 2.0))}\" y=\"12\" text-anchor=\"middle\">Known events among the first n</text>");

        // The boundary as a step line over the looks where stopping is possible.
        if (reachable.Count > 0)
        {
            var steps = new StringBuilder();
            foreach (var i in reachable)
            {
                var n = boundary.Looks.Values[i];
                steps.Append(steps.Length == 0 ? "M" : " L").Append(F(X(n - 1))).Append(',').Append(F(Y(boundary.Boundaries[i])))
                    .Append(" L").Append(F(X(n))).Append(',').Append(F(Y(boundary.Boundaries[i])));
            }

            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{steps}\" fill=\"none\" stroke=\"#b00020\" stroke-width=\"2\"/>");
        }

        if (evaluation.Path.Count > 0)
        {
            // A step function: flat across each subject's unit, rising at the subject who had the event.
            var path = new StringBuilder("M").Append(F(X(0))).Append(',').Append(F(Y(0)));
            for (var i = 0; i < evaluation.Path.Count; i++)
            {
                path.Append(" V").Append(F(Y(evaluation.Path[i]))).Append(" H").Append(F(X(i + 1)));
            }

            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>");
        }

        if (evaluation.Crossing is { } crossing)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(crossing.Look))}\" cy=\"{F(Y(crossing.Events))}\" r=\"6\" fill=\"none\" stroke=\"#b00020\" stroke-width=\"2.5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(crossing.Look) + 9)}\" y=\"{F(Y(crossing.Events) - 8)}\" fill=\"#b00020\" font-weight=\"bold\">crossed at look {crossing.Look}: {crossing.Events} ≥ {crossing.Boundary}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 8}\" y=\"{Top + 14}\" fill=\"#b00020\">boundary (stop if ≥)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 8}\" y=\"{Top + 28}\" fill=\"#1f5fa8\">known events among the first n enrolled</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static IEnumerable<int> Ticks(int max)
    {
        var step = max <= 10 ? 1 : max <= 20 ? 2 : max <= 50 ? 5 : 10;
        for (var t = 0; t <= max; t += step)
        {
            yield return t;
        }
    }
}

package dev.stockade.cli;

import dev.stockade.audit.Reachability;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings as one self-contained HTML file (no scripts, no external resources): a summary table
 * of every host or file, then per part a picture of who can reach which service (an inline SVG:
 * sources on the left, services on the right, red where anyone can connect) and its findings,
 * errors first. Every text from a host or a file is escaped.
 */
final class HtmlReport {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;"
            + "text-align:left;vertical-align:top}th{background:#f3f3f3}.error{color:#b00020;font-weight:bold}"
            + ".warning{color:#a15c00;font-weight:bold}.note{color:#555}code{font-size:90%}td.id code{white-space:nowrap}"
            + "h2{margin-top:2em;border-bottom:1px solid #ddd}.hint{color:#555;font-size:90%}";

    private HtmlReport() {}

    static void print(PrintWriter out, String title, String generatedBy, List<ReportSection> sections) {
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<title>" + esc(title) + "</title><style>" + STYLE + "</style></head><body>");
        out.println("<h1>" + esc(title) + "</h1>");
        out.println("<p>" + esc(generatedBy) + "</p>");
        out.println("<table id=\"summary\"><tr><th>part</th><th>looked at</th><th>errors</th><th>warnings</th>"
                + "<th>notes</th></tr>");
        for (ReportSection s : sections) {
            out.println("<tr><td><a href=\"#" + anchor(s.name()) + "\">" + esc(s.name()) + "</a></td><td>"
                    + esc(s.about()) + "</td><td class=\"error\">" + count(s, Severity.ERROR)
                    + "</td><td class=\"warning\">" + count(s, Severity.WARNING) + "</td><td class=\"note\">"
                    + count(s, Severity.NOTE) + "</td></tr>");
        }
        out.println("</table>");
        for (ReportSection s : sections) {
            out.println("<h2 id=\"" + anchor(s.name()) + "\">" + esc(s.name()) + "</h2>");
            if (!s.reach().isEmpty()) {
                out.println("<h3>Who can reach what</h3>");
                picture(out, s.reach());
            }
            List<Finding> sorted = new ArrayList<>(s.findings());
            sorted.sort((a, b) -> b.severity().compareTo(a.severity()));
            if (sorted.isEmpty()) {
                out.println("<p>No findings.</p>");
                continue;
            }
            out.println(
                    "<table class=\"findings\"><tr><th>severity</th><th>id</th><th>where</th><th>finding</th></tr>");
            for (Finding f : sorted) {
                out.println("<tr><td class=\"" + f.severity().label() + "\">"
                        + f.severity().label() + "</td><td class=\"id\"><code>"
                        + esc(f.id()) + "</code></td><td><code>"
                        + esc(f.span().map(Object::toString).orElse(f.subject())) + "</code></td><td>"
                        + esc(f.message())
                        + (f.hint().isEmpty() ? "" : "<div class=\"hint\">" + esc(f.hint()) + "</div>")
                        + "</td></tr>");
            }
            out.println("</table>");
        }
        out.println("</body></html>");
        out.flush();
    }

    /** Sources on the left, services on the right, one line per (sources, service, family). */
    private static void picture(PrintWriter out, List<Reachability> reach) {
        List<Reachability> open = reach.stream().filter(r -> !r.closed()).toList();
        if (open.isEmpty()) {
            out.println("<p>No listening service can be reached from outside the host.</p>");
            return;
        }
        Map<String, Integer> sources = new LinkedHashMap<>();
        Map<String, Integer> services = new LinkedHashMap<>();
        for (Reachability r : open) {
            sources.putIfAbsent(r.family() + " " + r.sources(), sources.size());
            services.putIfAbsent(r.service(), services.size());
        }
        int rows = Math.max(sources.size(), services.size());
        int height = 40 + rows * 44;
        out.println("<svg class=\"exposure\" xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"" + height
                + "\" role=\"img\" aria-label=\"who can reach which service\">");
        out.println("<text x=\"10\" y=\"20\" font-size=\"13\" font-weight=\"bold\">from</text>"
                + "<text x=\"600\" y=\"20\" font-size=\"13\" font-weight=\"bold\">service</text>");
        for (Reachability r : open) {
            int y1 = 52 + sources.get(r.family() + " " + r.sources()) * 44;
            int y2 = 52 + services.get(r.service()) * 44;
            String colour = r.anywhere() ? "#b00020" : "#a15c00";
            out.println("<line x1=\"300\" y1=\"" + y1 + "\" x2=\"600\" y2=\"" + y2 + "\" stroke=\"" + colour
                    + "\" stroke-width=\"2\"/>");
        }
        for (Map.Entry<String, Integer> e : sources.entrySet()) {
            box(
                    out,
                    10,
                    34 + e.getValue() * 44,
                    e.getKey(),
                    e.getKey().contains("any address") ? "#fde7ea" : "#fff4e0");
        }
        for (Map.Entry<String, Integer> e : services.entrySet()) {
            box(out, 600, 34 + e.getValue() * 44, e.getKey(), "#eef3fb");
        }
        out.println("</svg>");
    }

    private static void box(PrintWriter out, int x, int y, String text, String fill) {
        String shown = text.length() > 42 ? text.substring(0, 39) + "..." : text;
        out.println("<rect x=\"" + x + "\" y=\"" + y + "\" width=\"290\" height=\"34\" rx=\"4\" fill=\"" + fill
                + "\" stroke=\"#999\"/><text x=\"" + (x + 8) + "\" y=\"" + (y + 22) + "\" font-size=\"12\">"
                + esc(shown) + "<title>" + esc(text) + "</title></text>");
    }

    private static long count(ReportSection s, Severity severity) {
        return s.findings().stream().filter(f -> f.severity() == severity).count();
    }

    private static String anchor(String name) {
        return "part-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** HTML text and attribute values: markup characters escaped, control characters dropped. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : JunitReport.xml(s).toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}

package dev.stockade.cli;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Findings as JUnit XML, as CI systems read test results: one {@code testsuite} per host or file,
 * one {@code testcase} per finding, a {@code failure} for each finding at or above the
 * {@code --fail-on} level (the others pass, so they still show), and one passing case for a part
 * without findings.
 */
final class JunitReport {

    private JunitReport() {}

    static void print(PrintWriter out, String command, List<ReportSection> sections, Severity threshold) {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "stockade " + command);
            x.writeAttribute(
                    "tests",
                    Integer.toString(sections.stream().mapToInt(s -> cases(s)).sum()));
            x.writeAttribute(
                    "failures",
                    Long.toString(sections.stream()
                            .mapToLong(s -> failures(s, threshold))
                            .sum()));
            x.writeCharacters("\n");
            for (ReportSection s : sections) {
                x.writeStartElement("testsuite");
                x.writeAttribute("name", xml(s.name()));
                x.writeAttribute("tests", Integer.toString(cases(s)));
                x.writeAttribute("failures", Long.toString(failures(s, threshold)));
                x.writeAttribute("errors", "0");
                x.writeCharacters("\n");
                if (s.findings().isEmpty()) {
                    x.writeEmptyElement("testcase");
                    x.writeAttribute("classname", xml(s.name()));
                    x.writeAttribute("name", xml("no findings (" + s.about() + ")"));
                    x.writeCharacters("\n");
                }
                for (Finding f : s.findings()) {
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", xml(s.name()));
                    x.writeAttribute("name", xml(f.id() + ": " + f.message()));
                    if (f.severity().compareTo(threshold) >= 0) {
                        x.writeStartElement("failure");
                        x.writeAttribute("type", f.id());
                        x.writeAttribute("message", xml(f.severity().label() + ": " + f.message()));
                        x.writeCharacters(xml(f.toString() + (f.hint().isEmpty() ? "" : "\nhint: " + f.hint())));
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                    x.writeCharacters("\n");
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing JUnit XML failed", e);
        }
        out.flush();
    }

    /** Text XML 1.0 can carry: other control characters and lone surrogates (from a host's garbage output) become '?'. */
    static String xml(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                sb.append(c).append(text.charAt(++i));
            } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                    || Character.isSurrogate(c)
                    || c == 0xFFFE
                    || c == 0xFFFF) {
                sb.append('?');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int cases(ReportSection s) {
        return Math.max(1, s.findings().size());
    }

    private static long failures(ReportSection s, Severity threshold) {
        return s.findings().stream()
                .filter(f -> f.severity().compareTo(threshold) >= 0)
                .count();
    }
}

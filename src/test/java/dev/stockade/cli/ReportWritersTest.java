package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.audit.Reachability;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportWritersTest {

    static final Finding ERROR = new Finding(
            "AUD-DOCKER-SOCKET",
            Severity.ERROR,
            "h1",
            Optional.of(new SourceSpan("h1/docker-socket.out", 1, 1)),
            "mode 0666 <script>alert(1)</script> & \u0001garbage\ud800",
            "chmod 0660");
    static final Finding NOTE = new Finding("AUD-EXPOSED", Severity.NOTE, "h1", "tcp/22 from 10.0.0.0/8", "");

    static List<ReportSection> sections() {
        return List.of(
                new ReportSection(
                        "h1",
                        "19 facts collected",
                        List.of(NOTE, ERROR),
                        List.of(
                                new Reachability("tcp/22 (sshd)", IpFamily.V4, "10.0.0.0/8", false, false),
                                new Reachability("tcp/2375 (dockerd)", IpFamily.V6, "any address", true, false),
                                new Reachability("tcp/9000", IpFamily.V4, "nobody", false, true))),
                new ReportSection("h2 \"quoted\"", "nothing collected", List.of(), List.of()));
    }

    @Test
    void junit_wellFormed_failuresAtTheThresholdOnly_controlCharactersReplaced() throws Exception {
        StringWriter out = new StringWriter();
        JunitReport.print(new PrintWriter(out), "audit", sections(), Severity.WARNING);
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals("3", doc.getDocumentElement().getAttribute("tests"));
        assertEquals("1", doc.getDocumentElement().getAttribute("failures"));
        assertEquals(2, doc.getElementsByTagName("testsuite").getLength());
        assertEquals(1, doc.getElementsByTagName("failure").getLength());
        String failure = doc.getElementsByTagName("failure").item(0).getTextContent();
        assertTrue(failure.contains("<script>alert(1)</script> & ?garbage?"), failure);
        assertEquals(
                "no findings (nothing collected)",
                ((org.w3c.dom.Element) doc.getElementsByTagName("testcase").item(2)).getAttribute("name"));
    }

    @Test
    void html_selfContained_escaped_withTheExposurePicture() {
        StringWriter out = new StringWriter();
        HtmlReport.print(new PrintWriter(out), "Stockade audit: h1, h2", "stockade test", sections());
        String html = out.toString();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertFalse(html.contains("<script"), "host text is escaped: " + html);
        assertTrue(html.contains("mode 0666 &lt;script&gt;alert(1)&lt;/script&gt; &amp; ?garbage?"), html);
        assertFalse(html.contains("src=") || html.contains("href=\"http"), "no external resources");
        assertEquals(1, html.split("<svg class=\"exposure\"").length - 1, "one picture, for the host with reach");
        assertTrue(html.contains(">IPv6 any address<"), html);
        assertTrue(html.contains(">tcp/2375 (dockerd)<"), html);
        assertFalse(html.contains(">tcp/9000<"), "a closed service is not drawn: " + html);
        assertTrue(html.contains("h2 &quot;quoted&quot;"), html);
        int error = html.indexOf("AUD-DOCKER-SOCKET</code>");
        int note = html.indexOf("AUD-EXPOSED</code>");
        assertTrue(error > 0 && note > error, "errors first");
    }
}

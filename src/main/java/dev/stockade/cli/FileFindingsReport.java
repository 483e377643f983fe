package dev.stockade.cli;

import dev.stockade.json.Json;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way commands that check files ({@code validate}, {@code images check}) print their
 * findings in each {@code --format}: a section per file for JUnit and HTML, the findings JSON with
 * the command's own fields before them, SARIF with the command's rule category, and for text a
 * header line, one line per finding and the summary.
 *
 * @param command the command's name ({@code validate}, {@code images check})
 * @param files each file checked, with what it was read as ({@code a.ign (ignition)})
 * @param perFile each file's findings, in the order of {@code files}
 * @param json the command's own JSON fields, written before {@code findings}
 * @param header the text format's first line
 * @param allClear the text format's last line when nothing was found
 */
record FileFindingsReport(
        String command,
        List<String> files,
        List<List<Finding>> perFile,
        Json.Body json,
        String header,
        String allClear) {

    FileFindingsReport {
        files = List.copyOf(files);
        perFile = List.copyOf(perFile);
    }

    List<Finding> findings() {
        List<Finding> all = new ArrayList<>();
        perFile.forEach(all::addAll);
        return all;
    }

    void print(PrintWriter out, ReportFormatOption.Format format, Severity threshold) {
        List<Finding> findings = findings();
        switch (format) {
            case json ->
                JsonOutput.print(out, g -> {
                    json.write(g);
                    JsonOutput.findings(g, findings);
                });
            case sarif -> SarifReport.print(out, "stockade/" + command.replace(' ', '-') + "/", findings);
            case junit -> JunitReport.print(out, command, sections(), threshold);
            case html ->
                HtmlReport.print(
                        out,
                        "Stockade " + command + ": " + files.size() + (files.size() == 1 ? " file" : " files"),
                        new Main.Version().getVersion()[0],
                        sections());
            case text -> {
                out.println(header);
                FindingsReport.printWithSummary(out, findings, allClear);
            }
        }
        out.flush();
    }

    private List<ReportSection> sections() {
        List<ReportSection> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            out.add(new ReportSection(files.get(i), "checked", perFile.get(i), List.of()));
        }
        return out;
    }
}

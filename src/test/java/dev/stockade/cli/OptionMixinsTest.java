package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The option groups the commands share, parsed on their own by a bare command that mixes them in. */
class OptionMixinsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ChainOption chain;

        @Mixin
        FormatOption format;

        @Mixin
        FamilyOption family;

        @Mixin
        FailOnOption failOn;
    }

    private static Probe parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p;
    }

    @Test
    void chainOption_defaultInputOrGiven() {
        assertEquals("INPUT", parse().chain.name());
        assertEquals("FORWARD", parse("--chain", "FORWARD").chain.name());
    }

    @Test
    void formatOption_textByDefault_jsonWhenAsked_otherValuesRefused() {
        assertFalse(parse().format.json());
        assertTrue(parse("--format", "json").format.json());
        assertThrows(CommandLine.ParameterException.class, () -> parse("--format", "yaml"));
    }

    @Command(name = "report")
    static final class ReportProbe {
        @Mixin
        ReportFormatOption format;
    }

    @Test
    void reportFormatOption_textJsonOrSarif_andOnlyThere() {
        ReportProbe p = new ReportProbe();
        new CommandLine(p).parseArgs("--format", "sarif");
        assertEquals(ReportFormatOption.Format.sarif, p.format.format);
        ReportProbe d = new ReportProbe();
        new CommandLine(d).parseArgs();
        assertEquals(ReportFormatOption.Format.text, d.format.format);
        assertThrows(CommandLine.ParameterException.class, () -> parse("--format", "sarif"));
    }

    @Test
    void familyOption_noneFourSixOrFamily_contradictionRefused() {
        assertNull(parse().family.forced());
        assertEquals(IpFamily.V4, parse("-4").family.forced());
        assertEquals(IpFamily.V6, parse("-6").family.forced());
        assertEquals(IpFamily.V6, parse("--family", "ipv6").family.forced());
        assertEquals(IpFamily.V4, parse("-4", "--family", "ipv4").family.forced(), "saying it twice is fine");
        CommandLine.ParameterException e =
                assertThrows(CommandLine.ParameterException.class, () -> parse("-4", "--family", "ipv6"));
        assertEquals("--family ipv6 contradicts -4; give one family", e.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> parse("-6", "-4"));
    }

    private static Finding finding(Severity s) {
        return new Finding("FW-X", s, "f", Optional.empty(), "m", "");
    }

    @Test
    void failOnOption_exitOneWhenAFindingReachesTheLevel() {
        List<Finding> warnings = List.of(finding(Severity.WARNING), finding(Severity.NOTE));
        List<Finding> error = List.of(finding(Severity.ERROR));
        assertEquals(ExitCodes.OK, parse().failOn.exitCode(warnings));
        assertEquals(ExitCodes.FINDINGS, parse().failOn.exitCode(error));
        assertEquals(ExitCodes.FINDINGS, parse("--fail-on", "warning").failOn.exitCode(warnings));
        assertEquals(ExitCodes.OK, parse("--fail-on", "warning").failOn.exitCode(List.of(finding(Severity.NOTE))));
        assertEquals(ExitCodes.OK, parse("--fail-on", "warning").failOn.exitCode(List.of()));
    }
}

package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The files a checking command was given, read as text: {@code -} is standard input (once), and
 * every unreadable file is reported together before anything is checked.
 *
 * @param names the files read, {@code <stdin>} for standard input
 * @param texts their texts, in the order of {@code names}
 * @param unreadable what was wrong with each file that could not be read
 */
record InputTexts(List<String> names, List<String> texts, List<Diagnostic> unreadable) {

    InputTexts {
        names = List.copyOf(names);
        texts = List.copyOf(texts);
        unreadable = List.copyOf(unreadable);
    }

    /** Every file read, or an {@link InputException} naming each one that cannot be. */
    static InputTexts read(
            List<String> files, InputStream stdin, String codePrefix, long maxBytes, CommandLine commandLine)
            throws InputException {
        InputTexts in = readEach(files, stdin, codePrefix, maxBytes, commandLine);
        if (!in.unreadable().isEmpty()) {
            throw new InputException(in.unreadable());
        }
        return in;
    }

    /**
     * Every file that can be read, and what is wrong with the others, for commands that report
     * those together with what is wrong inside the files read.
     */
    static InputTexts readEach(
            List<String> files, InputStream stdin, String codePrefix, long maxBytes, CommandLine commandLine) {
        if (files.stream().filter("-"::equals).count() > 1) {
            throw new ParameterException(commandLine, "'-' (standard input) can be given once");
        }
        List<Diagnostic> unreadable = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String name : files) {
            try {
                texts.add(
                        name.equals("-")
                                ? TextFiles.read(stdin, "<stdin>", codePrefix, maxBytes)
                                : TextFiles.read(Path.of(name), codePrefix, maxBytes));
                names.add(name.equals("-") ? "<stdin>" : name);
            } catch (InputException e) {
                unreadable.addAll(e.diagnostics());
            }
        }
        return new InputTexts(names, texts, unreadable);
    }
}

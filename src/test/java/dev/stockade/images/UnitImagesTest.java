package dev.stockade.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitImagesTest {

    static List<String> images(String exec) {
        return UnitImages.find("t.service", "[Service]\nExecStart=" + exec + "\n").stream()
                .map(Hit::reference)
                .toList();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/usr/bin/docker run -d -p 80:80 nginx:1 sh -c x | nginx:1",
                "docker run -dit --rm alpine:3 | alpine:3",
                "docker run -p80:80 -v /a:/b alpine:3 | alpine:3",
                "docker run --name=x --network host -- img:1 --flag | img:1",
                "docker container run --rm img:2 | img:2",
                "docker image pull -a img:3 | img:3",
                "podman --root /var/lib/x create --replace img:4 | img:4",
                "podman run --tls-verify --pull missing img:5 | img:5",
                "nerdctl run img:6 | img:6",
                "/usr/bin/env FOO=1 docker run img:7 | img:7",
                "!!/usr/bin/docker run 'img:8' | img:8",
                "/bin/bash -c 'docker pull img:9; docker run --rm img:10' | img:9 img:10",
                "/usr/bin/rkt --debug run docker://quay.io/x/y:1 --exec /y | quay.io/x/y:1",
            })
    void execLines_theImageArgument(String exec, String expected) {
        assertEquals(List.of(expected.split(" ")), images(exec.strip()));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "docker ps",
                "docker stop web",
                "docker rm -f web",
                "/usr/bin/docker run",
                "/usr/bin/rkt gc",
                "/usr/bin/echo docker run img",
                "docker run --rm -v",
            })
    void execLines_withoutAnImage(String exec) {
        assertEquals(List.of(), images(exec.strip()));
    }

    @Test
    void quadletImage_onlyInItsSections() {
        assertEquals(
                List.of("quay.io/a:1", "quay.io/b:2"),
                UnitImages.find("a.container", "[Container]\nImage=quay.io/a:1\n[Image]\nImage=docker://quay.io/b:2\n")
                        .stream()
                        .map(Hit::reference)
                        .toList());
        assertEquals(List.of(), UnitImages.find("a.service", "[Service]\nImage=quay.io/a:1\n"));
    }

    @Test
    void continuationLines_keepEachCharactersOffset() {
        String unit = "[Service]\r\nExecStart=/usr/bin/docker run \\\r\n   --rm \\\n  img:1\n";
        List<Hit> hits = UnitImages.find("t.service", unit);
        assertEquals(1, hits.size());
        assertEquals(unit.indexOf("img:1"), hits.get(0).offset());
        assertEquals("unit t.service ExecStart", hits.get(0).where());
    }

    @Test
    void quotedAndEscapedWords() {
        List<UnitImages.Word> w = UnitImages.words(
                "a \"b c\" 'd\\e' f\\ g", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
        assertEquals(
                List.of("a", "b c", "d\\e", "f g"),
                w.stream().map(UnitImages.Word::text).toList());
        assertEquals(3, w.get(1).offsets()[0]);
    }
}

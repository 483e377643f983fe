package dev.stockade.validate;

import static dev.stockade.validate.Schema.B;
import static dev.stockade.validate.Schema.I;
import static dev.stockade.validate.Schema.S;
import static dev.stockade.validate.Schema.list;

/**
 * The key tree of Ignition configs, spec 3.0.0 to 3.5.0: per object, its keys, their JSON types
 * and the spec minor version that introduced them (nothing was removed in 3.x). Written from the
 * published configuration specifications.
 */
final class IgnitionSchema {

    private IgnitionSchema() {}

    /** The highest 3.x minor version known. */
    static final int LATEST_MINOR = 5;

    private static Schema.Builder b() {
        return Schema.obj();
    }

    static final Schema.Obj VERIFICATION = b().f("hash", S).build();
    static final Schema.Obj HEADER = b().f("name", S).f("value", S).build();
    static final Schema.Obj RESOURCE = b().f("source", S)
            .f("compression", S)
            .f("httpHeaders", list(HEADER), 1)
            .f("verification", VERIFICATION)
            .build();
    static final Schema.Obj OWNER = b().f("id", I).f("name", S).build();

    static final Schema.Obj FILE = b().f("path", S)
            .f("overwrite", B)
            .f("user", OWNER)
            .f("group", OWNER)
            .f("contents", RESOURCE)
            .f("append", list(RESOURCE))
            .f("mode", I)
            .build();
    static final Schema.Obj DIRECTORY = b().f("path", S)
            .f("overwrite", B)
            .f("user", OWNER)
            .f("group", OWNER)
            .f("mode", I)
            .build();
    static final Schema.Obj LINK = b().f("path", S)
            .f("overwrite", B)
            .f("user", OWNER)
            .f("group", OWNER)
            .f("target", S)
            .f("hard", B)
            .build();
    static final Schema.Obj PARTITION = b().f("label", S)
            .f("number", I)
            .f("sizeMiB", I)
            .f("startMiB", I)
            .f("typeGuid", S)
            .f("guid", S)
            .f("wipePartitionEntry", B)
            .f("shouldExist", B)
            .f("resize", B, 2)
            .build();
    static final Schema.Obj DISK = b().f("device", S)
            .f("wipeTable", B)
            .f("partitions", list(PARTITION))
            .build();
    static final Schema.Obj RAID = b().f("name", S)
            .f("level", S)
            .f("devices", list(S))
            .f("spares", I)
            .f("options", list(S))
            .build();
    static final Schema.Obj FILESYSTEM = b().f("device", S)
            .f("format", S)
            .f("path", S)
            .f("wipeFilesystem", B)
            .f("label", S)
            .f("uuid", S)
            .f("options", list(S))
            .f("mountOptions", list(S), 1)
            .build();
    static final Schema.Obj TANG =
            b().f("url", S).f("thumbprint", S).f("advertisement", S, 4).build();
    static final Schema.Obj CLEVIS = b().f("tang", list(TANG))
            .f("tpm2", B)
            .f("threshold", I)
            .f("custom", b().f("pin", S).f("config", S).f("needsNetwork", B).build())
            .build();
    static final Schema.Obj LUKS = b().f("name", S)
            .f("device", S)
            .f("keyFile", RESOURCE)
            .f("label", S)
            .f("uuid", S)
            .f("options", list(S))
            .f("wipeVolume", B)
            .f("clevis", CLEVIS)
            .f("discard", B, 4)
            .f("openOptions", list(S), 4)
            .f("cex", b().f("enabled", B).build(), 5)
            .build();
    static final Schema.Obj DROPIN = b().f("name", S).f("contents", S).build();
    static final Schema.Obj UNIT = b().f("name", S)
            .f("enabled", B)
            .f("mask", B)
            .f("contents", S)
            .f("dropins", list(DROPIN))
            .build();
    static final Schema.Obj USER = b().f("name", S)
            .f("passwordHash", S)
            .f("sshAuthorizedKeys", list(S))
            .f("uid", I)
            .f("gecos", S)
            .f("homeDir", S)
            .f("noCreateHome", B)
            .f("primaryGroup", S)
            .f("groups", list(S))
            .f("noUserGroup", B)
            .f("noLogInit", B)
            .f("shell", S)
            .f("system", B)
            .f("shouldExist", B, 2)
            .build();
    static final Schema.Obj GROUP = b().f("name", S)
            .f("gid", I)
            .f("passwordHash", S)
            .f("system", B)
            .f("shouldExist", B, 2)
            .build();

    static final Schema.Obj ROOT = b().f(
                    "ignition",
                    b().f("version", S)
                            .f(
                                    "config",
                                    b().f("merge", list(RESOURCE))
                                            .f("replace", RESOURCE)
                                            .build())
                            .f(
                                    "timeouts",
                                    b().f("httpResponseHeaders", I)
                                            .f("httpTotal", I)
                                            .build())
                            .f(
                                    "security",
                                    b().f(
                                                    "tls",
                                                    b().f("certificateAuthorities", list(RESOURCE))
                                                            .build())
                                            .build())
                            .f(
                                    "proxy",
                                    b().f("httpProxy", S)
                                            .f("httpsProxy", S)
                                            .f("noProxy", list(S))
                                            .build(),
                                    1)
                            .build())
            .f(
                    "storage",
                    b().f("disks", list(DISK))
                            .f("raid", list(RAID))
                            .f("filesystems", list(FILESYSTEM))
                            .f("files", list(FILE))
                            .f("directories", list(DIRECTORY))
                            .f("links", list(LINK))
                            .f("luks", list(LUKS), 2)
                            .build())
            .f("systemd", b().f("units", list(UNIT)).build())
            .f("passwd", b().f("users", list(USER)).f("groups", list(GROUP)).build())
            .f(
                    "kernelArguments",
                    b().f("shouldExist", list(S)).f("shouldNotExist", list(S)).build(),
                    3)
            .build();
}

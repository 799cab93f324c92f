package dev.pipeline.logs;

import static dev.pipeline.logs.Scan.at;
import static dev.pipeline.logs.Scan.bracket;
import static dev.pipeline.logs.Scan.isDigit;
import static dev.pipeline.logs.Scan.num;
import static dev.pipeline.logs.Scan.skipSpaces;
import static dev.pipeline.logs.Scan.spaces;
import static dev.pipeline.logs.Scan.tokenEnd;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The formats the aggregator reads. Each parser is a hand-written scanner over the line's bytes:
 * it fills an {@link Entry} and returns {@code null}, or returns why the line is not of its format
 * (a constant string: a refused line allocates nothing either). The order is the detection order:
 * when two formats read a file's first lines equally well, the earlier one wins.
 */
enum Format {
    /** The aggregator's own written form: {@code 2026-01-01T00:00:00.125Z WARN [source] msg}. */
    PIPELINE("pipeline") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = Scan.isoDateTime(b, s, e, en, true, false);
            if (p < 0) {
                return "no ISO-8601 timestamp";
            }
            p = spaces(b, p, e);
            if (p < 0) {
                return "no level after the timestamp";
            }
            int q = tokenEnd(b, p, e);
            en.level = Level.parse(b, p, q);
            if (en.level == null) {
                return "unknown level";
            }
            p = skipSpaces(b, q, e);
            int close = bracket(b, p, e);
            if (close < 0 || close - p < 3) {
                return "no [source] after the level";
            }
            en.source(p + 1, close - 1);
            en.message(at(b, close, e, ' ') ? close + 1 : close, e);
            return null;
        }
    },

    /** JSON lines: one object per line, with the usual keys. */
    JSON("json-lines") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            if (!at(b, s, e, '{')) {
                return "not a JSON object";
            }
            Map<String, String> o;
            try {
                o = Json.readObject(new String(b, s, e - s, StandardCharsets.UTF_8));
            } catch (Json.SyntaxException x) {
                return "malformed JSON";
            }
            String ts = first(o, "timestamp", "@timestamp", "time", "ts", "date", "datetime");
            if (ts == null || !jsonTime(ts, en)) {
                return "JSON object without a readable timestamp";
            }
            String level = first(o, "level", "severity", "levelname", "log.level", "lvl");
            if (level != null) {
                en.level = Level.parse(level);
                if (en.level == null && !level.isEmpty() && isDigit(level.charAt(0))) {
                    try {
                        en.level = Level.ofNumber(Long.parseLong(level));
                    } catch (NumberFormatException x) {
                        en.level = null;
                    }
                }
                if (en.level == null) {
                    return "unknown level";
                }
            }
            String source =
                    first(o, "logger", "logger_name", "name", "source", "component", "service");
            en.sourceString = source == null || source.isEmpty() ? "-" : source;
            String message = first(o, "message", "msg", "log");
            en.messageString = message == null ? "" : message;
            return null;
        }
    },

    /** RFC 5424 syslog: {@code <165>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg}. */
    SYSLOG_5424("syslog-rfc5424") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = pri(b, s, e, en);
            if (p < 0 || !at(b, p, e, '1') || !at(b, p + 1, e, ' ')) {
                return "no <PRI>1 header";
            }
            p = Scan.isoDateTime(b, p + 2, e, en, true, false);
            if (p < 0 || !at(b, p, e, ' ')) {
                return "no RFC 3339 timestamp";
            }
            int host = p + 1;
            int app = tokenEnd(b, host, e) + 1;
            int appEnd = tokenEnd(b, app, e);
            int proc = appEnd + 1;
            int msgId = tokenEnd(b, proc, e) + 1;
            int sd = tokenEnd(b, msgId, e) + 1;
            if (sd >= e) {
                return "missing RFC 5424 header fields";
            }
            if (appEnd - app == 1 && b[app] == '-') {
                en.sourceConstant = DASH;
            } else {
                en.source(app, appEnd);
            }
            int msg = structuredData(b, sd, e);
            if (msg < 0) {
                return "malformed structured data";
            }
            msg = at(b, msg, e, ' ') ? msg + 1 : msg;
            // a UTF-8 byte order mark may start the message
            if (msg + 3 <= e
                    && b[msg] == (byte) 0xEF
                    && b[msg + 1] == (byte) 0xBB
                    && b[msg + 2] == (byte) 0xBF) {
                msg += 3;
            }
            en.message(msg, e);
            return null;
        }
    },

    /** RFC 3164 (BSD) syslog: {@code Jun 14 15:16:01 host sshd[19939]: msg}; no year, no level. */
    SYSLOG_3164("syslog-rfc3164") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = at(b, s, e, '<') ? pri(b, s, e, en) : s;
            if (p < 0) {
                return "malformed <PRI>";
            }
            en.month = Scan.month(b, p, e);
            if (en.month < 0 || !at(b, p + 3, e, ' ')) {
                return "no 'Mmm dd HH:mm:ss' timestamp";
            }
            int d = p + 4;
            en.day = at(b, d, e, ' ') ? num(b, d + 1, e, 1) : num(b, d, e, 2);
            if (en.day < 0 || !at(b, d + 2, e, ' ')) {
                return "no 'Mmm dd HH:mm:ss' timestamp";
            }
            p = Scan.time(b, d + 3, e, en);
            if (p < 0) {
                return "no 'Mmm dd HH:mm:ss' timestamp";
            }
            p = Scan.fraction(b, p, e, en, '.', '.');
            en.yearKnown = false;
            p = spaces(b, p, e);
            if (p < 0) {
                return "no host after the timestamp";
            }
            int tag = tokenEnd(b, p, e) + 1; // after the host
            if (tag >= e) {
                return "no program after the host";
            }
            int i = tag;
            while (i < e && b[i] != ':' && b[i] != '[' && b[i] != ' ') {
                i++;
            }
            int tagEnd = i;
            if (i < e && b[i] == '[') {
                i = Scan.indexOf(b, i, e, ']');
                i = i < 0 ? e : i + 1;
            }
            if (tagEnd > tag && i < e && b[i] == ':') {
                en.source(tag, tagEnd);
                i = at(b, i + 1, e, ' ') ? i + 2 : i + 1;
            } else {
                en.sourceConstant = DASH; // no "program:" tag: the rest is the message
                i = tag;
            }
            en.message(i, e);
            if (en.level == null) {
                en.level = levelInMessage(b, i, e);
            }
            return null;
        }
    },

    /** Android logcat, threadtime: {@code 03-17 16:13:38.811  1702  2395 D WindowManager: msg}. */
    LOGCAT("logcat-threadtime") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            en.month = num(b, s, e, 2);
            en.day = num(b, s + 3, e, 2);
            if (en.month < 0 || en.day < 0 || !at(b, s + 2, e, '-') || !at(b, s + 5, e, ' ')) {
                return "no 'MM-dd HH:mm:ss.SSS' timestamp";
            }
            int p = Scan.time(b, s + 6, e, en);
            if (p < 0 || !at(b, p, e, '.')) {
                return "no 'MM-dd HH:mm:ss.SSS' timestamp";
            }
            p = Scan.fraction(b, p, e, en, '.', '.');
            en.yearKnown = false;
            p = Scan.digits(b, spaces(b, p, e), e); // pid
            p = p < 0 ? -1 : Scan.digits(b, spaces(b, p, e), e); // tid
            p = p < 0 ? -1 : spaces(b, p, e);
            if (p < 0 || !at(b, p + 1, e, ' ')) {
                return "no pid, tid and level";
            }
            en.level = Level.parse(b, p, p + 1);
            if (en.level == null) {
                return "unknown level";
            }
            int tag = p + 2;
            int colon = tag;
            while (colon < e && !(b[colon] == ':' && (colon + 1 == e || b[colon + 1] == ' '))) {
                colon++;
            }
            if (colon >= e) {
                return "no 'tag:' after the level";
            }
            int tagEnd = colon;
            while (tagEnd > tag && b[tagEnd - 1] == ' ') {
                tagEnd--;
            }
            if (tagEnd == tag) {
                en.sourceConstant = DASH;
            } else {
                en.source(tag, tagEnd);
            }
            en.message(Math.min(colon + 2, e), e);
            return null;
        }
    },

    /** Apache httpd error log: {@code [Sun Dec 04 04:47:44 2005] [notice] msg} (2.4's too). */
    APACHE_ERROR("apache-error") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            // [Www Mmm dd HH:mm:ss(.ffffff) yyyy]
            if (!at(b, s, e, '[') || !at(b, s + 4, e, ' ')) {
                return "no '[Www Mmm dd HH:mm:ss yyyy]' timestamp";
            }
            en.month = Scan.month(b, s + 5, e);
            en.day = num(b, s + 9, e, 2);
            int p = en.month < 0 || en.day < 0 ? -1 : Scan.time(b, s + 12, e, en);
            if (p < 0) {
                return "no '[Www Mmm dd HH:mm:ss yyyy]' timestamp";
            }
            p = Scan.fraction(b, p, e, en, '.', '.');
            en.year = num(b, p + 1, e, 4);
            if (en.year < 0 || !at(b, p + 5, e, ']') || !at(b, p + 6, e, ' ')) {
                return "no '[Www Mmm dd HH:mm:ss yyyy]' timestamp";
            }
            int lv = p + 7;
            int close = bracket(b, lv, e);
            if (close < 0) {
                return "no [level] after the timestamp";
            }
            int colon = Scan.indexOf(b, lv + 1, close - 1, ':');
            en.level = Level.parse(b, colon < 0 ? lv + 1 : colon + 1, close - 1);
            if (en.level == null) {
                return "unknown level";
            }
            if (colon < 0) {
                en.sourceConstant = APACHE;
            } else {
                en.source(lv + 1, colon);
            }
            en.message(at(b, close, e, ' ') ? close + 1 : close, e);
            return null;
        }
    },

    /** nginx error log: {@code 2016/10/25 14:49:34 [error] 11041#0: *1 msg}. */
    NGINX_ERROR("nginx-error") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = Scan.ymd(b, s, e, en, 4, '/');
            p = p < 0 ? -1 : Scan.time(b, p, e, en);
            if (p < 0 || !at(b, p, e, ' ')) {
                return "no 'yyyy/MM/dd HH:mm:ss' timestamp";
            }
            int close = bracket(b, p + 1, e);
            if (close < 0) {
                return "no [level] after the timestamp";
            }
            en.level = Level.parse(b, p + 2, close - 1);
            if (en.level == null) {
                return "unknown level";
            }
            en.sourceConstant = NGINX;
            int msg = skipSpaces(b, close, e);
            int pid = Scan.digits(b, msg, e);
            if (pid > 0 && at(b, pid, e, '#')) {
                int tid = Scan.digits(b, pid + 1, e);
                if (tid > 0 && at(b, tid, e, ':')) {
                    msg = skipSpaces(b, tid + 1, e);
                }
            }
            en.message(msg, e);
            return null;
        }
    },

    /** apt's history.log: records from {@code Start-Date: 2024-01-02  10:11:12} to End-Date. */
    APT_HISTORY("apt-history") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            if (!Scan.startsWith(b, s, e, START_DATE)) {
                return "no 'Start-Date:'";
            }
            int p = skipSpaces(b, s + START_DATE.length, e);
            p = Scan.isoDateTime(b, p, e, en, false, true);
            if (p < 0) {
                // apt writes two spaces between date and time
                p = aptDate(b, skipSpaces(b, s + START_DATE.length, e), e, en);
            }
            if (p < 0) {
                return "no date after 'Start-Date:'";
            }
            en.sourceConstant = APT;
            en.message(s, e);
            return null;
        }

        @Override
        boolean continues(byte[] b, int s, int e) {
            // every line of a record but its first; the blank line after a record too
            return !Scan.startsWith(b, s, e, START_DATE);
        }
    },

    /** dpkg.log: {@code 2024-01-02 10:11:12 status installed pkg:amd64 1.2}; no level. */
    DPKG("dpkg") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = Scan.isoDateTime(b, s, e, en, false, true);
            if (p < 0 || p != s + 19 || !at(b, p, e, ' ')) {
                return "no 'yyyy-MM-dd HH:mm:ss' timestamp";
            }
            int action = p + 1;
            int actionEnd = tokenEnd(b, action, e);
            if (!isDpkgAction(b, action, actionEnd)) {
                return "no dpkg action after the timestamp";
            }
            en.sourceConstant = DPKG_SOURCE;
            en.message(action, e);
            return null;
        }
    },

    /**
     * OpenStack (Python logging as OpenStack configures it): {@code 2017-05-16 00:00:00.008 25746
     * INFO nova.api.x [req-…] msg}, possibly after the name of the file it came from.
     */
    OPENSTACK("openstack") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = s;
            if (p < e && !isDigit(b[p])) { // a leading file name, as in collected OpenStack logs
                p = spaces(b, tokenEnd(b, p, e), e);
                if (p < 0) {
                    return "no timestamp";
                }
            }
            p = Scan.isoDateTime(b, p, e, en, false, true);
            if (p < 0) {
                return "no 'yyyy-MM-dd HH:mm:ss.SSS' timestamp";
            }
            int pid = spaces(b, p, e);
            p = pid < 0 ? -1 : Scan.digits(b, pid, e);
            if (p < 0) {
                return "no pid after the timestamp";
            }
            int lv = spaces(b, p, e);
            if (lv < 0) {
                return "no level after the pid";
            }
            int lvEnd = tokenEnd(b, lv, e);
            en.level = Level.parse(b, lv, lvEnd);
            if (en.level == null) {
                return "unknown level";
            }
            int logger = spaces(b, lvEnd, e);
            if (logger < 0) {
                return "no logger after the level";
            }
            int loggerEnd = tokenEnd(b, logger, e);
            en.source(logger, loggerEnd);
            en.message(Math.min(loggerEnd + 1, e), e);
            return null;
        }
    },

    /**
     * log4j, logback, Hadoop and Python logging with an ISO date: {@code 2017-05-16 00:00:00,008
     * INFO [thread] org.x.Y: msg} and the usual variants (thread first, {@code logger - msg}, a
     * pid before the level, {@code - name - LEVEL - msg}).
     */
    LOG4J("log4j") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = Scan.isoDateTime(b, s, e, en, true, true);
            if (p < 0) {
                return "no 'yyyy-MM-dd HH:mm:ss,SSS' timestamp";
            }
            return javaLayout(b, p, e, en);
        }
    },

    /** Spark: {@code 17/06/09 20:10:40 INFO executor.Backend: msg}. */
    SPARK("spark") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int p = Scan.ymd(b, s, e, en, 2, '/');
            p = p < 0 ? -1 : Scan.time(b, p, e, en);
            if (p < 0) {
                return "no 'yy/MM/dd HH:mm:ss' timestamp";
            }
            return javaLayout(b, p, e, en);
        }
    },

    /** HDFS (Hadoop 0.x/1.x): {@code 081109 203615 148 INFO dfs.DataNode$X: msg}. */
    HDFS("hdfs") {
        @Override
        String parse(byte[] b, int s, int e, Entry en) {
            int yy = num(b, s, e, 2);
            en.month = num(b, s + 2, e, 2);
            en.day = num(b, s + 4, e, 2);
            en.hour = num(b, s + 7, e, 2);
            en.minute = num(b, s + 9, e, 2);
            en.second = num(b, s + 11, e, 2);
            if (yy < 0
                    || en.month < 0
                    || en.day < 0
                    || en.hour < 0
                    || en.minute < 0
                    || en.second < 0
                    || !at(b, s + 6, e, ' ')) {
                return "no 'yyMMdd HHmmss' timestamp";
            }
            en.year = 2000 + yy;
            return javaLayout(b, s + 13, e, en);
        }
    };

    static final byte[] DASH = Scan.bytes("-");
    private static final byte[] APACHE = Scan.bytes("apache");
    private static final byte[] NGINX = Scan.bytes("nginx");
    private static final byte[] APT = Scan.bytes("apt");
    private static final byte[] DPKG_SOURCE = Scan.bytes("dpkg");
    private static final byte[] START_DATE = Scan.bytes("Start-Date:");
    private static final byte[][] DPKG_ACTIONS = {
        Scan.bytes("status"), Scan.bytes("install"), Scan.bytes("upgrade"),
        Scan.bytes("configure"), Scan.bytes("remove"), Scan.bytes("purge"),
        Scan.bytes("trigproc"), Scan.bytes("startup"), Scan.bytes("conffile")
    };
    private static final byte[] CAUSED_BY = Scan.bytes("Caused by: ");
    private static final byte[] SUPPRESSED = Scan.bytes("Suppressed: ");
    private static final byte[] TRACEBACK = Scan.bytes("Traceback (most recent call last):");
    private static final byte[] MORE = Scan.bytes("... ");
    private static final Format[] VALUES = values();

    /** The name the report and the documentation use. */
    final String displayName;

    Format(String displayName) {
        this.displayName = displayName;
    }

    static Format[] all() {
        return VALUES;
    }

    /**
     * Parses a line that starts an entry.
     *
     * @param b the bytes
     * @param s the line's first byte
     * @param e after its last byte (no line terminator)
     * @param en filled when the line is of this format; {@link Entry#reset()} first
     * @return {@code null} if it is, else why not
     */
    abstract String parse(byte[] b, int s, int e, Entry en);

    /**
     * Whether a line continues the entry above it rather than starting one: a blank or indented
     * line, a Java stack trace's {@code Caused by:}, {@code Suppressed:}, {@code ... N more} and
     * exception line ({@code java.io.IOException: msg}), a Python {@code Traceback} header; in
     * apt's history, every line but a record's {@code Start-Date:}. The same test for the reader
     * that cuts a file into chunks (never inside an entry) and for the parser.
     */
    boolean continues(byte[] b, int s, int e) {
        return continuesAnyFormat(b, s, e);
    }

    /** {@link #continues} for a file whose format is not known. */
    static boolean continuesAnyFormat(byte[] b, int s, int e) {
        if (s == e) {
            return true;
        }
        byte c = b[s];
        if (c == ' ' || c == '\t') {
            return true;
        }
        if (c >= '0' && c <= '9') {
            return false; // most entries start with their date: no continuation does
        }
        if (c == 'C' && Scan.startsWith(b, s, e, CAUSED_BY)) {
            return true;
        }
        if (c == 'S' && Scan.startsWith(b, s, e, SUPPRESSED)) {
            return true;
        }
        if (c == '.' && Scan.startsWith(b, s, e, MORE)) {
            return Scan.digits(b, s + 4, e) > 0;
        }
        if (c == 'T' && Scan.startsWith(b, s, e, TRACEBACK)) {
            return true;
        }
        return isExceptionLine(b, s, e);
    }

    /**
     * Whether the line is an exception's first line as a stack trace prints it: a (qualified)
     * class name whose simple name ends in Exception, Error or Throwable, then {@code :} or the
     * end of the line ({@code java.lang.IllegalStateException: boom}, {@code ValueError: bad}).
     */
    static boolean isExceptionLine(byte[] b, int s, int e) {
        byte c = b[s];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$')) {
            return false;
        }
        int i = s;
        while (i < e) {
            byte x = b[i];
            if ((x >= 'a' && x <= 'z')
                    || (x >= 'A' && x <= 'Z')
                    || isDigit(x)
                    || x == '_'
                    || x == '$'
                    || x == '.') {
                i++;
            } else {
                break;
            }
        }
        if (i < e && b[i] != ':') {
            return false;
        }
        return endsWith(b, s, i, "Exception")
                || endsWith(b, s, i, "Error")
                || endsWith(b, s, i, "Throwable");
    }

    private static boolean endsWith(byte[] b, int s, int e, String suffix) {
        int n = suffix.length();
        if (e - s < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[e - n + i] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDpkgAction(byte[] b, int s, int e) {
        for (byte[] a : DPKG_ACTIONS) {
            if (a.length == e - s && Scan.startsWith(b, s, e, a)) {
                return true;
            }
        }
        return false;
    }

    /** {@code <PRI>} at {@code s}: the level from its severity; after it, or -1. */
    private static int pri(byte[] b, int s, int e, Entry en) {
        if (!at(b, s, e, '<')) {
            return -1;
        }
        int end = Scan.digits(b, s + 1, e);
        if (end < 0 || end - s > 4 || !at(b, end, e, '>')) {
            return -1;
        }
        int pri = num(b, s + 1, e, end - s - 1);
        if (pri > 191) {
            return -1;
        }
        en.level = Level.ofSyslogSeverity(pri & 7);
        return end + 1;
    }

    /** Skips RFC 5424 structured data ({@code -} or {@code [id k="v"]...}); after it, or -1. */
    private static int structuredData(byte[] b, int p, int e) {
        if (at(b, p, e, '-')) {
            return p + 1;
        }
        if (!at(b, p, e, '[')) {
            return -1;
        }
        boolean quoted = false;
        int i = p;
        while (i < e) {
            byte c = b[i];
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']' && (i + 1 == e || b[i + 1] != '[')) {
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    /** apt's {@code yyyy-MM-dd  HH:mm:ss} (two spaces); after it, or -1. */
    private static int aptDate(byte[] b, int p, int e, Entry en) {
        en.year = num(b, p, e, 4);
        en.month = num(b, p + 5, e, 2);
        en.day = num(b, p + 8, e, 2);
        if (en.year < 0 || en.month < 0 || en.day < 0 || !at(b, p + 10, e, ' ')) {
            return -1;
        }
        return Scan.time(b, skipSpaces(b, p + 10, e), e, en);
    }

    /**
     * A level word and a colon at the start of a syslog message ({@code error: ...}, {@code
     * fatal: ...}, {@code warning: ...}), or {@code null}: how OpenSSH, the kernel's drivers and
     * most daemons say a line's level in a message.
     */
    private static Level levelInMessage(byte[] b, int s, int e) {
        int i = s;
        while (i < e && i - s < 13 && b[i] != ':' && b[i] != ' ') {
            i++;
        }
        return i - s >= 3 && i < e && b[i] == ':' ? Level.parse(b, s, i) : null;
    }

    /**
     * What follows the timestamp in the Java layouts (log4j, logback, Hadoop, Spark, Python):
     * {@code [thread]}, a pid, the level, {@code [thread]}, then the logger ending in {@code :},
     * followed by {@code -}, or a dotted name; else no logger and the rest is the message.
     */
    private static String javaLayout(byte[] b, int p, int e, Entry en) {
        p = spaces(b, p, e);
        if (p < 0) {
            return "no level after the timestamp";
        }
        if (at(b, p, e, '-') && at(b, p + 1, e, ' ')) {
            return pythonLayout(b, p + 2, e, en);
        }
        int q = bracket(b, p, e);
        if (q > 0) {
            p = skipSpaces(b, q, e);
        }
        q = Scan.digits(b, p, e);
        if (q > 0 && at(b, q, e, ' ')) {
            p = skipSpaces(b, q, e);
        }
        q = tokenEnd(b, p, e);
        en.level = Level.parse(b, p, q);
        if (en.level == null) {
            return "no level after the timestamp";
        }
        p = skipSpaces(b, q, e);
        q = bracket(b, p, e);
        if (q > 0) {
            p = skipSpaces(b, q, e);
        }
        int t = tokenEnd(b, p, e);
        if (t > p + 1 && b[t - 1] == ':') {
            en.source(p, t - 1);
            en.message(Math.min(t + 1, e), e);
        } else if (t > p && at(b, t + 1, e, '-') && (t + 2 == e || at(b, t + 2, e, ' '))) {
            en.source(p, t);
            en.message(Math.min(t + 3, e), e);
        } else if (t > p && isDottedName(b, p, t)) {
            en.source(p, t);
            en.message(Math.min(t + 1, e), e);
        } else {
            en.sourceConstant = DASH;
            en.message(p, e);
        }
        return null;
    }

    /** Python's {@code - name - LEVEL - msg}, after the first dash. */
    private static String pythonLayout(byte[] b, int p, int e, Entry en) {
        int name = p;
        int nameEnd = tokenEnd(b, p, e);
        if (!at(b, nameEnd + 1, e, '-') || !at(b, nameEnd + 2, e, ' ')) {
            return "no level after the timestamp";
        }
        int lv = nameEnd + 3;
        int lvEnd = tokenEnd(b, lv, e);
        en.level = Level.parse(b, lv, lvEnd);
        if (en.level == null) {
            return "unknown level";
        }
        en.source(name, nameEnd);
        int msg = lvEnd + 1;
        if (at(b, msg, e, '-') && at(b, msg + 1, e, ' ')) {
            msg += 2;
        }
        en.message(Math.min(msg, e), e);
        return null;
    }

    private static boolean isDottedName(byte[] b, int s, int e) {
        boolean dot = false;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '.') {
                dot = true;
            } else if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || isDigit(c)
                    || c == '_'
                    || c == '$'
                    || c == '-')) {
                return false;
            }
        }
        return dot && b[s] != '.' && b[e - 1] != '.';
    }

    private static String first(Map<String, String> o, String... keys) {
        for (String k : keys) {
            String v = o.get(k);
            if (v != null && !v.equals("null")) {
                return v;
            }
        }
        return null;
    }

    /** A JSON timestamp: an ISO-8601 string, or seconds (or milliseconds) since the epoch. */
    private static boolean jsonTime(String ts, Entry en) {
        byte[] t = ts.getBytes(StandardCharsets.ISO_8859_1);
        if (t.length > 0
                && (isDigit(t[0]) || t[0] == '-')
                && Scan.indexOf(t, 0, t.length, ':') < 0
                && Scan.indexOf(t, 0, t.length, 'T') < 0) {
            try {
                java.math.BigDecimal v = new java.math.BigDecimal(ts);
                if (v.abs().compareTo(java.math.BigDecimal.valueOf(100_000_000_000L)) > 0) {
                    v = v.movePointLeft(3); // milliseconds
                }
                en.epochKnown = true;
                en.epochSecond = v.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                en.nanos =
                        v.subtract(java.math.BigDecimal.valueOf(en.epochSecond))
                                .movePointRight(9)
                                .intValue();
                return true;
            } catch (NumberFormatException | ArithmeticException x) {
                return false;
            }
        }
        int p = Scan.isoDateTime(t, 0, t.length, en, true, true);
        en.instantTo = 0; // the range would be one of the string, not of the line
        return p == t.length;
    }
}

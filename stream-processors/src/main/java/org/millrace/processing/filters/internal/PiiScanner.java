package org.millrace.processing.filters.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds e-mail addresses, IP addresses and phone numbers in one pass of one regular expression and
 * replaces them with placeholders, as StarCoder's and datatrove's PII steps do. IP addresses are
 * replaced only when they are global (private, loopback, link-local, documentation and multicast
 * ranges name no one), like datatrove's {@code only_remove_public_ips}. Phone numbers need
 * separators between their digit groups (a bare run of digits is a number, not a phone) and 8–15
 * digits (E.164's limit): international ({@code +44 20 7946 0958}), North American
 * ({@code (555) 123-4567}, {@code 555.123.4567}) and national trunk-prefixed ({@code 020 7946 0958},
 * {@code 01 56 77 01 20}).
 */
public final class PiiScanner {
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final String H = "[0-9A-Fa-f]{1,4}";
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-])");
    static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}(?![\\w]|\\.\\d)");
    static final Pattern IPV6 = Pattern.compile("(?:(?:" + H + ":){7}" + H + "|(?:" + H + ":){1,6}:(?:" + H
            + ":){0,5}" + H + "|(?:" + H + ":){2,7}:)(?![\\w:])");
    static final Pattern PHONE = Pattern.compile("(?:\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}"
            + "|(?:1[ .-])?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}"
            + "|\\(?0\\d{1,4}\\)?[ .-]\\d{3,4}[ .-]?\\d{3,4}|0\\d(?:[ .-]\\d{2}){4})(?![\\w-]|\\.\\d)");
    /** Longest stretch a candidate is matched in: bounds the work per candidate. */
    private static final int WINDOW = 400;

    private final String emailPlaceholder;
    private final String ipPlaceholder;
    private final String phonePlaceholder;

    public PiiScanner(String emailPlaceholder, String ipPlaceholder, String phonePlaceholder) {
        this.emailPlaceholder = emailPlaceholder;
        this.ipPlaceholder = ipPlaceholder;
        this.phonePlaceholder = phonePlaceholder;
    }

    /** The text with its PII replaced, and how many of each kind were. */
    public record Result(String text, int emails, int ips, int phones) {
        public int total() {
            return emails + ips + phones;
        }
    }

    /**
     * Regular expressions are tried only where a match can start (at the local part before an '@',
     * and at a word start that is a digit, a hex letter, '+' or '('), not at every character: one
     * alternation tried everywhere is several times slower.
     */
    public Result replace(String text) {
        StringBuilder out = null;
        int last = 0;
        int emails = 0;
        int ips = 0;
        int phones = 0;
        int len = text.length();
        Matcher email = null;
        Matcher ipv4 = IPV4.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        Matcher ipv6 = IPV6.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        Matcher phone = PHONE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int i = 0;
        while (i < len) {
            char c = text.charAt(i);
            int end = -1;
            String placeholder = null;
            if (c == '@') {
                int start = localPartStart(text, i, last);
                if (start < i) {
                    if (email == null) {
                        email = EMAIL.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
                    }
                    email.region(start, Math.min(len, i + WINDOW));
                    if (email.lookingAt()) {
                        emails++;
                        if (out == null) {
                            out = new StringBuilder(len);
                        }
                        out.append(text, last, start).append(emailPlaceholder);
                        last = email.end();
                        i = last;
                        continue;
                    }
                }
            } else if (isCandidateStart(text, i, c)) {
                int to = Math.min(len, i + WINDOW);
                if (c >= '0' && c <= '9' && digitsThenDot(text, i, to) && ipv4.region(i, to).lookingAt()
                        && isGlobal(ipv4.group())) {
                    end = ipv4.end();
                    placeholder = ipPlaceholder;
                    ips++;
                } else if (c != '+' && c != '(' && hexThenColon(text, i, to) && ipv6.region(i, to).lookingAt()
                        && isGlobal(ipv6.group())) {
                    end = ipv6.end();
                    placeholder = ipPlaceholder;
                    ips++;
                } else if ((c < 'A' || c == '+' || c == '(') && mayStartPhone(text, i, to) && phone.region(i, to).lookingAt()
                        && phoneDigits(phone.group())) {
                    end = phone.end();
                    placeholder = phonePlaceholder;
                    phones++;
                }
            }
            if (placeholder != null) {
                if (out == null) {
                    out = new StringBuilder(len);
                }
                out.append(text, last, i).append(placeholder);
                last = end;
                i = end;
            } else {
                i++;
            }
        }
        if (out == null) {
            return new Result(text, 0, 0, 0);
        }
        return new Result(out.append(text, last, len).toString(), emails, ips, phones);
    }

    /**
     * Whether 1–4 hex digits and a colon start at {@code i} (before {@code to}): every alternative of
     * {@link #IPV6} starts so, and most words that start with a hex letter do not. Checked first
     * because setting a matcher's region resets all its groups, which costs more than this.
     */
    static boolean hexThenColon(String text, int i, int to) {
        int j = i;
        while (j < to && j - i < 5 && isHex(text.charAt(j))) {
            j++;
        }
        return j > i && j - i <= 4 && j < to && text.charAt(j) == ':';
    }

    /** Whether 1–3 digits and a dot start at {@code i} (before {@code to}), as every match of {@link #IPV4} does. */
    static boolean digitsThenDot(String text, int i, int to) {
        int j = i;
        while (j < to && j - i < 4 && isDigit(text.charAt(j))) {
            j++;
        }
        return j > i && j - i <= 3 && j < to && text.charAt(j) == '.';
    }

    /**
     * Whether a match of {@link #PHONE} can start at {@code i}: each of its forms starts with '+', '(',
     * '0', "1" and a separator, or three digits and a separator. Most numbers in running text do not.
     */
    static boolean mayStartPhone(String text, int i, int to) {
        char c = text.charAt(i);
        if (c == '+' || c == '(' || c == '0') {
            return true;
        }
        if (c == '1' && i + 1 < to && isPhoneSeparator(text.charAt(i + 1))) {
            return true;
        }
        return i + 3 < to && isDigit(c) && isDigit(text.charAt(i + 1)) && isDigit(text.charAt(i + 2))
                && isPhoneSeparator(text.charAt(i + 3));
    }

    private static boolean isPhoneSeparator(char c) {
        return c == ' ' || c == '.' || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Where the local part of an address ending just before {@code at} starts (not before {@code floor}). */
    private static int localPartStart(String text, int at, int floor) {
        int start = at;
        while (start > floor && at - start < 64 && isLocalChar(text.charAt(start - 1))) {
            start--;
        }
        while (start < at && (text.charAt(start) == '.')) {
            start++;
        }
        return start;
    }

    private static boolean isLocalChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '%' || c == '+' || c == '-';
    }

    /** A digit, hex letter, '+' or '(' that no word character, dot, colon, '+' or '-' comes right before. */
    private static boolean isCandidateStart(String text, int i, char c) {
        boolean possible = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '+' || c == '(';
        if (!possible || i == 0) {
            return possible;
        }
        char p = text.charAt(i - 1);
        return !(Character.isLetterOrDigit(p) || p == '_' || p == '.' || p == ':' || p == '+' || p == '-');
    }

    private static boolean phoneDigits(String s) {
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                digits++;
            }
        }
        return digits >= 8 && digits <= 15;
    }

    /** Whether an address literal is in a range that can name a host on the internet. */
    static boolean isGlobal(String literal) {
        InetAddress a;
        try {
            a = InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int o0 = b[0] & 0xff;
            int o1 = b[1] & 0xff;
            int o2 = b[2] & 0xff;
            return !(o0 == 0 || o0 >= 240 || (o0 == 100 && o1 >= 64 && o1 < 128) // this network, reserved, shared (CGNAT)
                    || (o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2)) // IETF protocol assignments, TEST-NET-1
                    || (o0 == 198 && (o1 == 18 || o1 == 19)) // benchmarking
                    || (o0 == 198 && o1 == 51 && o2 == 100) || (o0 == 203 && o1 == 0 && o2 == 113)); // TEST-NET-2, -3
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return !((w0 & 0xfe00) == 0xfc00 // unique local
                || (w0 == 0x2001 && w1 == 0x0db8)); // documentation
    }
}

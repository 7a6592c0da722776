/* website.h - what may be stored as a website (issue 12): an http(s) URL or
 * a bare host with an optional port and path ("www.example.com/about",
 * which the pages link as https://). Anything with another scheme -
 * javascript:, data:, vbscript:, file:, mailto: - is refused, and so is any
 * control character or white space inside (browsers drop tabs and line
 * breaks from a URL, so "java\tscript:" would run). Used by the CRM for
 * contacts, companies and saved card scans. */
#ifndef FORMATS_WEBSITE_H
#define FORMATS_WEBSITE_H

/* 1 when s (already trimmed, not empty) is a website that may be stored. */
int fmt_website_ok(const char *s);

#endif

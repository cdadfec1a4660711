// libxml2's HTML parser (SAX interface) and the encoding helpers Quarry uses.
//
// Debian builds libxml2 with ICU support, so libxml/encoding.h includes the system's ICU
// headers, which clash with the copy of ICU that Foundation uses whenever one module sees
// both. Quarry never touches the ICU-only fields of xmlCharEncodingHandler (it only passes
// pointers to it, and converts charsets before libxml2 sees the bytes), so the ICU part of
// the headers is switched off here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/encoding.h>
#include <libxml/xmlerror.h>

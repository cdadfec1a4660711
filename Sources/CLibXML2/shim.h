// libxml2's HTML parser (SAX interface) and the encoding helpers Quarry uses.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/encoding.h>
#include <libxml/xmlerror.h>

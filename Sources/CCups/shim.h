#include <cups/cups.h>
#include <cups/raster.h>
#include <cups/pwg.h>

// Declarations only (include/CFuzzerDriver.h): the definitions come from libFuzzer.
#include "CFuzzerDriver.h"

#include <gd.h>
#include <stdio.h>

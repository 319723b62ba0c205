/** Small helpers shared across packages, such as parsing the ids of option enums. */
package io.mixspark.util;

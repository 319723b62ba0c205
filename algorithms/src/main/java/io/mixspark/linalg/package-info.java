/** The few dense linear-algebra helpers the mixtures need, on top of EJML. */
package io.mixspark.linalg;

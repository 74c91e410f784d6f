package io.tokenbroker.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Run-time settings as read from and written to {@code /simulator/settings}. On a
 * {@code PUT}, absent fields stay as they are.
 *
 * @param tokenLifetimeSeconds lifetime of the tokens issued from now on
 * @param clockOffsetSeconds offset of the simulator's clock from the application clock
 * @param now the simulator's now (read only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SimulatorSettings(Long tokenLifetimeSeconds, Long clockOffsetSeconds, String now) {

}

/** Stand-in for `mc/config`: the injected config, frozen like the SDK's. */
import { config } from './host.js';

export default Object.freeze({ ...config });

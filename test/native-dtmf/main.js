/* The native DTMF test app's entry (a module named `main` resolves imports from the root): app.ts. */
import "test/native-dtmf/app";

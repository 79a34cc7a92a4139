/**
 * zod/mini carries no messages of its own (every issue would read "Invalid input"); classic zod loads the
 * English locale when it is imported. Every module that parses with zod/mini imports this one first, so an
 * issue reads the same whichever flavour checked it (`details.issues[].message` is part of the API).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

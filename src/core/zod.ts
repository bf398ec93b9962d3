/**
 * The one zod import of the code, used as `import * as z from '…/core/zod'`: zod/mini (functions
 * instead of methods, so a bundle keeps only the parts it uses) with the English messages that
 * classic zod loads by itself and mini does not.
 */
import { config } from 'zod/mini';
import { en } from 'zod/v4/locales';

config(en());

export * from 'zod/mini';

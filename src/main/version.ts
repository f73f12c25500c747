export const CADRE_VERSION = '0.1.0';

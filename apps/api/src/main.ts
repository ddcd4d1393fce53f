import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { bootstrap } from './bootstrap';
import { devCertificateNotes } from './dev-certificate-notes';

async function main(): Promise<void> {
  try {
    const service = await bootstrap();
    const logger = new Logger('Main');
    logger.log(`Callback API on ${service.callbackUrl}, operator API on ${service.operatorUrl}`);
    if (service.devCertificates) {
      for (const note of devCertificateNotes(service.devCertificates, service.callbackUrl)) logger.log(note);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main();

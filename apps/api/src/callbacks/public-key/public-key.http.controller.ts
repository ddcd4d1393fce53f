import { Controller, Get } from '@nestjs/common';
import { JweKeyRing } from '@app/security';

/** Seeds, "Public Key": the key Antaca encrypts requests to; base64 of a PEM `PUBLIC KEY`. */
@Controller('public-key')
export class PublicKeyHttpController {
  constructor(private readonly keys: JweKeyRing) {}

  @Get()
  publicKey(): { publicKey: string } {
    return { publicKey: this.keys.publicKeyBase64 };
  }
}

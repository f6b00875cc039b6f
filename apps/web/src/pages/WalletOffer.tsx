import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { useI18n } from '../i18n/context.tsx';
import { api, problemFrom } from '../lib/api.ts';
import { problemMessageKey, type Problem } from '../lib/problem.ts';
import { useSession } from '../lib/session.tsx';

interface Offer {
  offerUri: string;
  expiresAt: string;
}

/**
 * 添加到卡包: asks for a credential offer (OpenID4VCI) for the licence and shows its
 * openid-credential-offer:// link to open in a wallet on this device, with when its single-use
 * code stops working. No QR here: the portal has no QR library, and the link opens the wallet.
 */
export function WalletOffer({ licenceId, name }: { licenceId: string; name: string }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const [offer, setOffer] = useState<Offer>();
  const [problem, setProblem] = useState<Problem>();
  const ask = async () => {
    try {
      setOffer(
        await api<Offer>(`licenses/${encodeURIComponent(licenceId)}/wallet-offer`, {
          locale,
          method: 'POST',
          ...(session.state === 'signedIn' ? { csrf: session.csrf } : {}),
        }),
      );
      setProblem(undefined);
    } catch (error) {
      setProblem(problemFrom(error));
    }
  };
  const until = offer && new Date(offer.expiresAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return (
    <div className="wallet-offer">
      <Button variant="secondary" onClick={() => void ask()}>
        {offer ? t('licences.wallet.again') : t('licences.wallet.add')}
        <span className="visually-hidden"> {name}</span>
      </Button>
      {problem && <p className="body">{t(problemMessageKey(problem.code))}</p>}
      {offer && (
        <>
          <p className="body">{t('licences.wallet.hint', { until: until! })}</p>
          <p className="body">
            <a className="link" href={offer.offerUri}>
              {t('licences.wallet.open')}
            </a>
          </p>
          <p className="body">
            <code className="secret">{offer.offerUri}</code>
          </p>
        </>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { useI18n } from '../i18n/context.tsx';
import { readQrFromImage, readQrFromVideo } from '../lib/qr-reader.ts';

/**
 * The ways to give /verify a code without typing it: the camera (where the browser has one and
 * the person allows it), or a photo or screenshot of the QR symbol. What is read goes to `onCode`.
 */
export function VerifyScan({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [scanning, setScanning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  // The camera starts and stops with `scanning` alone, not each time the page re-renders.
  const latest = useRef({ onCode, t });
  useEffect(() => {
    latest.current = { onCode, t };
  });
  const camera = typeof navigator !== 'undefined' && navigator.mediaDevices?.getUserMedia !== undefined;

  useEffect(() => {
    if (!scanning) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = async () => {
      if (stopped || !video.current) return;
      const code = await readQrFromVideo(video.current).catch(() => undefined);
      if (stopped) return;
      if (code) {
        setScanning(false);
        setStatus(latest.current.t('verify.scan.read'));
        latest.current.onCode(code);
      } else timer = setTimeout(() => void look(), 250); // the next frame worth reading
    };
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        setStatus(latest.current.t('verify.scan.looking'));
        void look();
      })
      .catch(() => {
        setScanning(false);
        setStatus(latest.current.t('verify.scan.noCamera'));
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [scanning]);

  const fromImage = async (file: File) => {
    setStatus(t('verify.scan.reading'));
    const code = await readQrFromImage(file).catch(() => undefined);
    if (code) {
      setStatus(t('verify.scan.read'));
      onCode(code);
    } else setStatus(t('verify.scan.none'));
  };

  return (
    <div className="verify-scan">
      {camera && (
        <p className="body">
          <Button variant="secondary" onClick={() => setScanning((s) => !s)}>
            {scanning ? t('verify.scan.stop') : t('verify.scan.camera')}
          </Button>
        </p>
      )}
      {scanning && (
        <video ref={video} className="verify-scan__video" muted playsInline aria-label={t('verify.scan.video')} />
      )}
      <div className="form-group">
        <label className="label" htmlFor="code-image">
          {t('verify.scan.image')}
        </label>
        <input
          id="code-image"
          type="file"
          accept="image/*"
          className="file-upload"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void fromImage(file);
          }}
        />
      </div>
      <p className="upload-status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

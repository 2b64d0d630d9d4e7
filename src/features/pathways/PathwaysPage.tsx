import { ComingUp, PageHeader } from '../../app/PageHeader';

export default function PathwaysPage() {
  return (
    <div className="page">
      <PageHeader eyebrow="Pathways" title="Guided routes through the map">
        <p>Pick a route that fits where you are. Each step names a concept, a small experiment and what to notice.</p>
      </PageHeader>
      <ComingUp
        title="Routes"
        items={[
          { name: 'Foundations First', text: 'Bottom-up, for newcomers: layers to BatchNorm in eight steps.' },
          { name: 'Practitioner’s Path', text: 'Adam, schedules, normalisation and regularisation for builders.' },
          { name: 'Architecture Focus', text: 'Why depth was hard and the ideas that made it easy.' },
          { name: 'Generative Models', text: 'Latent spaces, VAEs, GANs and diffusion.' },
        ]}
      />
    </div>
  );
}

// Network: hidden layers (add, remove, width, activation, BatchNorm, dropout, skip connection), initialisation, and
// for MNIST the choice of an MLP or a CNN with its conv/pool blocks. A network the editor cannot show as blocks (a
// hand-written preset) is listed layer by layer instead, read-only.
import type { ExperimentSpec, InitKind, NormalizedSpec } from '../../../../engine/index';
import { LIMITS_2D, LIMITS_MNIST, taskOf } from '../catalog';
import { Segmented, Select, Stepper, Switch } from '../controls/Form';
import {
  ACTIVATIONS,
  type Block,
  type ConvBlock,
  canBeResidual,
  type DenseBlock,
  designOf,
  INITS,
  type NetDesign,
} from '../design';
import { inputWidth, withDesign, withMnistArchitecture } from '../edits';

interface Props {
  spec: NormalizedSpec;
  edit: (next: ExperimentSpec) => void;
  /** Trainable parameters of the compiled network (null while it compiles). */
  parameters: number | null;
}

const DROPOUTS = ['0', '0.1', '0.2', '0.3', '0.5'].map((id) => ({ id, label: id === '0' ? 'none' : id }));

export function NetworkPanel({ spec, edit, parameters }: Props) {
  const design = designOf(spec.model.layers);
  const mnist = taskOf(spec) === 'mnist';
  const cnn = spec.model.input.length === 3;
  const width = inputWidth(spec);
  return (
    <section className="lab-panel" aria-labelledby="lab-net-h">
      <h2 id="lab-net-h">Network</h2>
      {mnist && (
        <Segmented
          label="Architecture"
          value={cnn ? 'cnn' : 'mlp'}
          options={[
            { id: 'mlp', label: 'MLP' },
            { id: 'cnn', label: 'CNN' },
          ]}
          onChange={(v) => edit(withMnistArchitecture(spec, v === 'cnn'))}
        />
      )}
      {design ? (
        <DesignEditor
          design={design}
          mnist={mnist}
          cnn={cnn}
          inputWidth={width}
          change={(d) => edit(withDesign(spec, d))}
        />
      ) : (
        <CustomNetwork spec={spec} />
      )}
      <p className="lab-muted">
        Parameters:{' '}
        <output aria-label="Parameters" data-testid="parameters">
          {parameters === null ? '…' : parameters.toLocaleString('en-US')}
        </output>
      </p>
    </section>
  );
}

function DesignEditor({
  design,
  mnist,
  cnn,
  inputWidth,
  change,
}: {
  design: NetDesign;
  mnist: boolean;
  cnn: boolean;
  inputWidth: number;
  change: (d: NetDesign) => void;
}) {
  const maxUnits = mnist ? LIMITS_MNIST.units : LIMITS_2D.units;
  const dense = design.blocks.filter((b) => b.kind === 'dense').length;
  const convs = design.blocks.filter((b) => b.kind === 'conv').length;
  const setBlock = (i: number, b: Block) =>
    change({ ...design, blocks: design.blocks.map((x, j) => (j === i ? b : x)) });
  const remove = (i: number) => change({ ...design, blocks: design.blocks.filter((_, j) => j !== i) });
  const addDense = () => {
    const last = [...design.blocks].reverse().find((b): b is DenseBlock => b.kind === 'dense');
    const b: DenseBlock = last
      ? { ...last, residual: false }
      : {
          kind: 'dense',
          units: mnist ? 128 : 8,
          activation: 'relu',
          batchnorm: false,
          dropout: 0,
          residual: false,
          init: design.outputInit,
        };
    change({ ...design, blocks: [...design.blocks, b] });
  };
  const addConv = () => {
    const last = [...design.blocks].reverse().find((b): b is ConvBlock => b.kind === 'conv');
    const b: ConvBlock = last
      ? { ...last, filters: Math.min(LIMITS_MNIST.filters, last.filters * 2) }
      : {
          kind: 'conv',
          filters: 8,
          kernel: 3,
          activation: 'relu',
          batchnorm: false,
          pool: 'max',
          init: design.outputInit,
        };
    const at = design.blocks.findIndex((x) => x.kind === 'dense');
    const blocks = [...design.blocks];
    blocks.splice(at < 0 ? blocks.length : at, 0, b);
    change({ ...design, blocks });
  };
  const init = design.outputInit;
  const setInit = (k: InitKind) =>
    change({ ...design, outputInit: k, blocks: design.blocks.map((b) => ({ ...b, init: k })) });
  return (
    <>
      <ol className="lab-layers" aria-label="Hidden layers">
        {design.blocks.map((b, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity beyond their position in the stack
          <li key={`${b.kind}-${i}`} className="lab-layer">
            <div className="lab-layer-head">
              <span className="lab-layer-name">
                {b.kind === 'conv'
                  ? `Conv ${design.blocks.slice(0, i + 1).filter((x) => x.kind === 'conv').length}`
                  : `Layer ${design.blocks.slice(0, i + 1).filter((x) => x.kind === 'dense').length}`}
              </span>
              <button
                type="button"
                className="lab-icon-button"
                aria-label={`Remove ${b.kind === 'conv' ? 'conv block' : 'layer'} ${i + 1}`}
                onClick={() => remove(i)}
              >
                ×
              </button>
            </div>
            {b.kind === 'dense' ? (
              <DenseRow
                block={b}
                index={i}
                maxUnits={maxUnits}
                residualOk={canBeResidual(design, i, inputWidth)}
                set={(x) => setBlock(i, x)}
              />
            ) : (
              <ConvRow block={b} index={i} set={(x) => setBlock(i, x)} />
            )}
          </li>
        ))}
        <li className="lab-layer lab-layer-out">
          <span className="lab-layer-name">Output</span>
          <span className="lab-muted">
            {design.outputs} {design.outputs === 1 ? 'value' : 'classes'}
          </span>
        </li>
      </ol>
      <div className="lab-row">
        <button type="button" className="lab-button" disabled={dense >= LIMITS_2D.layers} onClick={addDense}>
          + Dense layer
        </button>
        {cnn && (
          <button type="button" className="lab-button" disabled={convs >= LIMITS_MNIST.convBlocks} onClick={addConv}>
            + Conv block
          </button>
        )}
      </div>
      <Select label="Initialisation" value={init} options={INITS} onChange={setInit} />
    </>
  );
}

function DenseRow({
  block,
  index,
  maxUnits,
  residualOk,
  set,
}: {
  block: DenseBlock;
  index: number;
  maxUnits: number;
  residualOk: boolean;
  set: (b: DenseBlock) => void;
}) {
  const n = index + 1;
  return (
    <div className="lab-layer-body">
      <Stepper
        label={`Units in layer ${n}`}
        value={block.units}
        min={1}
        max={maxUnits}
        onChange={(units) => set({ ...block, units })}
      />
      <Select
        label="Activation"
        value={block.activation}
        options={ACTIVATIONS}
        onChange={(activation) => set({ ...block, activation })}
      />
      <div className="lab-layer-toggles">
        <Switch label="BatchNorm" checked={block.batchnorm} onChange={(batchnorm) => set({ ...block, batchnorm })} />
        <Switch
          label="Skip"
          checked={block.residual}
          disabled={!residualOk && !block.residual}
          title={
            residualOk
              ? 'Add the layer’s input to its output (a residual connection)'
              : 'A skip needs the same width in and out'
          }
          onChange={(residual) => set({ ...block, residual })}
        />
        <Select
          label="Dropout"
          value={String(block.dropout)}
          options={
            DROPOUTS.some((d) => d.id === String(block.dropout))
              ? DROPOUTS
              : [...DROPOUTS, { id: String(block.dropout), label: String(block.dropout) }]
          }
          onChange={(v) => set({ ...block, dropout: Number(v) })}
        />
      </div>
    </div>
  );
}

function ConvRow({ block, index, set }: { block: ConvBlock; index: number; set: (b: ConvBlock) => void }) {
  return (
    <div className="lab-layer-body">
      <Stepper
        label={`Filters in conv block ${index + 1}`}
        value={block.filters}
        min={1}
        max={LIMITS_MNIST.filters}
        onChange={(filters) => set({ ...block, filters })}
      />
      <Select
        label="Kernel"
        value={String(block.kernel)}
        options={['3', '5'].map((k) => ({ id: k, label: `${k}×${k}` }))}
        onChange={(v) => set({ ...block, kernel: Number(v) })}
      />
      <Select
        label="Activation"
        value={block.activation}
        options={ACTIVATIONS}
        onChange={(activation) => set({ ...block, activation })}
      />
      <div className="lab-layer-toggles">
        <Switch label="BatchNorm" checked={block.batchnorm} onChange={(batchnorm) => set({ ...block, batchnorm })} />
        <Select
          label="Pooling"
          value={block.pool ?? 'none'}
          options={[
            { id: 'none', label: 'none' },
            { id: 'max', label: 'max 2×2' },
            { id: 'avg', label: 'average 2×2' },
          ]}
          onChange={(v) => set({ ...block, pool: v === 'none' ? null : (v as 'max' | 'avg') })}
        />
      </div>
    </div>
  );
}

function CustomNetwork({ spec }: { spec: NormalizedSpec }) {
  const describe = (l: NormalizedSpec['model']['layers'][number]): string => {
    if (l.type === 'dense') return `dense ${l.units}`;
    if (l.type === 'conv2d') return `conv ${l.filters} × ${l.kernel}×${l.kernel}`;
    if (l.type === 'dropout') return `dropout ${l.rate}`;
    if (l.type === 'residual') return `skip [${l.layers.map(describe).join(', ')}]`;
    return l.type;
  };
  return (
    <>
      <p className="lab-note">
        This network was written by hand, so it is shown as its layer list. Choose a preset or another dataset to edit
        blocks.
      </p>
      <ol className="lab-custom-layers">
        {spec.model.layers.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: layers have no identity beyond their position
          <li key={i}>{describe(l)}</li>
        ))}
      </ol>
    </>
  );
}
